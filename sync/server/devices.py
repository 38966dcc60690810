"""Kiosk devices and their upload tokens.

A token is 32 random bytes (URL-safe base64 with a `kt1_` prefix), shown
once when the device is added. The store keeps only its SHA-256: with that
much randomness a plain hash cannot be guessed back, and a lookup by hash
needs no per-device salt.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import Device

TOKEN_PREFIX = "kt1_"


class DeviceError(ValueError):
    """A device command cannot be done; the message says why."""


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def add_device(session: Session, *, name: str) -> tuple[Device, str]:
    """Add a device and return it with its token (the only time the token exists)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise DeviceError("a device name is 1 to 100 characters")
    if session.scalar(select(Device).where(Device.name == name)) is not None:
        raise DeviceError(f"a device named {name!r} already exists")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    device = Device(name=name, token_sha256=hash_token(token), created_at_utc=utc_now())
    session.add(device)
    session.flush()
    return device, token


def list_devices(session: Session) -> list[Device]:
    return list(session.scalars(select(Device).order_by(Device.created_at_utc, Device.id)))


def revoke_device(session: Session, *, name: str) -> Device:
    device = session.scalar(select(Device).where(Device.name == name))
    if device is None:
        raise DeviceError(f"no device named {name!r}")
    if device.revoked_at_utc is None:
        device.revoked_at_utc = utc_now()
    return device


def device_for_token(session: Session, token: str) -> Device | None:
    """The unrevoked device this token belongs to, or None."""
    device = session.scalar(select(Device).where(Device.token_sha256 == hash_token(token)))
    if device is None or device.revoked_at_utc is not None:
        return None
    return device
