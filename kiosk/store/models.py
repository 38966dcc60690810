"""Typed ORM models of the kiosk's local database.

Times are stored as naive UTC datetimes; the signer's local offset is kept
beside `created_at_utc`, and the local calendar date is stored so that
"today" and per-day counts are plain indexed SQL.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(), date: Date()}


class SyncState:
    """Where a signature is on its way to the central store."""

    PENDING = "pending"  # stored here, not yet acknowledged by the store
    SENT = "sent"  # the store acknowledged it
    REFUSED = "refused"  # the store refused it; kept for a person to look at
    NEVER = "never"  # practice signatures never leave the laptop


class DeviceIdentity(Base):
    """This laptop's identity towards the central store (one row)."""

    __tablename__ = "device_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(100))
    created_at_utc: Mapped[datetime]


class Event(Base):
    """A day (or a few) at a market stall; every signature belongs to one."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(120), default="")
    date: Mapped[date]
    volunteers: Mapped[str] = mapped_column(String(500), default="")
    created_at_utc: Mapped[datetime]
    ended_at_utc: Mapped[datetime | None]

    signatures: Mapped[list[Signature]] = relationship(back_populates="event")


class Signature(Base):
    """One signed pledge.

    Who signed (name, email, full postcode, the drawn signature) is only
    in `sealed`: one JSON document sealed with the campaign's public key
    in the transaction that stores the row (kiosk/privacy). This laptop
    cannot open it. `sealed` becomes NULL when retention removes it after
    the central store acknowledged the record; the counts stay.
    """

    __tablename__ = "signatures"
    __table_args__ = (
        Index("ix_signatures_event_local_date", "event_id", "local_date"),
        # The outbox's read: the oldest pending records, in order (no sort per batch).
        Index("ix_signatures_pending", "sync_state", "practice", "created_at_utc", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    created_at_utc: Mapped[datetime]
    utc_offset_minutes: Mapped[int]
    local_date: Mapped[date] = mapped_column(index=True)
    language: Mapped[str] = mapped_column(String(5))

    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # HMAC-SHA256 of the normalised email with the campaign's key: finds a
    # repeat signer without holding the address.
    email_hmac: Mapped[str | None] = mapped_column(String(64), index=True)
    # What the signer keeps to ask for removal (sync/privacy/withdrawal.py).
    withdrawal_code: Mapped[str] = mapped_column(String(10), index=True)
    postcode_area: Mapped[str | None] = mapped_column(String(3))
    lives_or_works_in_helsingborg: Mapped[bool] = mapped_column(Boolean, default=False)
    community_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    helper_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)

    consent_version: Mapped[str] = mapped_column(String(20))
    consent_sha256: Mapped[str] = mapped_column(String(64))
    consent_given_at_utc: Mapped[datetime]

    practice: Mapped[bool] = mapped_column(Boolean, default=False)
    # The laptop's clock was implausible when this was saved (kiosk/clock.py):
    # its times are kept as they were read, and travel marked as unreliable.
    clock_unreliable: Mapped[bool] = mapped_column(Boolean, default=False)
    sync_state: Mapped[str] = mapped_column(String(10), default=SyncState.PENDING)
    synced_at_utc: Mapped[datetime | None]

    event: Mapped[Event] = relationship(back_populates="signatures")
    commitments: Mapped[list[SignatureCommitment]] = relationship(
        cascade="all, delete-orphan", order_by="SignatureCommitment.position"
    )


class SignatureCommitment(Base):
    """A commitment a signer chose; a table of its own so summaries can count in SQL."""

    __tablename__ = "signature_commitments"

    signature_id: Mapped[str] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), primary_key=True
    )
    commitment_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)


class SyncRefusal(Base):
    """Why the central store (or this kiosk's own check) refused a signature.

    The signature itself stays, marked 'refused'; a person decides what to do.
    """

    __tablename__ = "sync_refusals"

    signature_id: Mapped[str] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(Text)
    refused_at_utc: Mapped[datetime]


class Setting(Base):
    """Volunteer settings and kiosk state (current event, PIN hash, …) as JSON values."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class KnownEmailHmac(Base):
    """An email HMAC the central store holds (GET /privacy), so a repeat signer is
    recognised even when they signed at another kiosk. One row each: a privacy
    update inserts and deletes a few rows instead of rewriting one big list."""

    __tablename__ = "known_email_hmacs"

    email_hmac: Mapped[str] = mapped_column(String(64), primary_key=True)


# --- running totals for summaries -------------------------------------------
# Kept up to date by SQLite triggers (migration 5c1e0a7d9b21) on every insert,
# update and delete of a counted (non-practice) signature, so a summary reads
# a few hundred rows whether the campaign has 1,000 signatures or 100,000.


class SummaryHourly(Base):
    """Signatures per event, local date and local hour, with the opt-ins among them."""

    __tablename__ = "summary_hourly"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    local_date: Mapped[date] = mapped_column(primary_key=True)
    hour: Mapped[int] = mapped_column(primary_key=True)
    signatures: Mapped[int] = mapped_column(default=0)
    community_opt_ins: Mapped[int] = mapped_column(default=0)
    helper_opt_ins: Mapped[int] = mapped_column(default=0)
    in_helsingborg: Mapped[int] = mapped_column(default=0)


class SummaryArea(Base):
    """Signatures per event, local date and postcode area ('' when none was given)."""

    __tablename__ = "summary_areas"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    local_date: Mapped[date] = mapped_column(primary_key=True)
    postcode_area: Mapped[str] = mapped_column(String(3), primary_key=True)
    signatures: Mapped[int] = mapped_column(default=0)


class SummaryCommitment(Base):
    """How often each commitment was chosen, per event and local date."""

    __tablename__ = "summary_commitments"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    local_date: Mapped[date] = mapped_column(primary_key=True)
    commitment_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    chosen: Mapped[int] = mapped_column(default=0)
