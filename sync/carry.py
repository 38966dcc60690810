"""The carry file: a stall that never gets online takes its signatures to the store on a USB stick.

Both ends import this module, so the format is written once: the kiosk writes
the file (`klimatavtal carry`, *Spara till USB* in the volunteer panel), the
store reads it (`klimatavtal-store carry-in FILE`). No Qt, no kiosk, no database.

One JSON file::

    {"format": "klimatavtal-carry", "version": 1,
     "payload": {"kiosk_uuid": ..., "written_at_utc": ..., "count": N,
                 "batches": [UploadBatch, ...]},
     "sha256": "<SHA-256 of the payload's canonical JSON>",
     "mac": "<HMAC-SHA256 of the same bytes>" or null}

The batches are the upload protocol's own `UploadBatch`es, so a carried record
is checked and stored exactly as an uploaded one (same limits, same UUIDs,
same exactly-once rules). The personal data in them stays sealed with the
campaign's public key. Canonical JSON (sorted keys, no spaces, UTF-8) makes
the check independent of how the file is spelled.

Threat model, honestly:

- `sha256` finds damage (a stick pulled out too early, a flipped bit). It
  proves nothing about who wrote the file: anyone can recompute it.
- `mac` is keyed by `carry_key(SHA-256(token))`. The kiosk has its token;
  the store keeps only SHA-256 of each token and tries the unrevoked devices'
  keys, so a valid MAC names the kiosk that wrote the file. Someone who finds
  or steals the stick can read what travels in it (event names, postcode
  areas, commitments, opt-ins; names, emails and drawings are sealed) but can
  neither alter it nor make a file for any kiosk: that needs the kiosk's
  token (its laptop) or the store's device table (the store itself).
- Whoever holds the store's device table could forge carry files; they can
  do far worse to that database already. They still cannot upload over HTTP,
  which needs the token itself.
- A copied file imported again adds nothing: records are keyed by UUID.
- A kiosk that was never enrolled has no token and writes the file unsigned
  (`mac` null). The store refuses it unless an organiser vouches for it with
  `--trust-unsigned DEVICE`, naming the device the records are stored under.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from sync.protocol import (
    MAX_BATCH_RECORDS,
    MAX_EVENTS_PER_BATCH,
    EventInfo,
    SignatureRecord,
    UploadBatch,
)

CARRY_FORMAT = "klimatavtal-carry"
CARRY_VERSION = 1
CARRY_SUFFIX = ".json"
# Far above what a stall collects (500 records are about 3 MB); a limit, so a wrong
# file (a disk image picked by mistake) is refused before it is read into memory.
MAX_CARRY_BYTES = 512 * 1024 * 1024
_KEY_LABEL = b"klimatavtal carry file v1"


class CarryFileError(ValueError):
    """The file cannot be imported; the message says why, for an organiser."""


def token_sha256(token: str) -> str:
    """SHA-256 of a device token, as the store keeps it (sync.server.devices.hash_token)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def carry_key(token_hash: str) -> bytes:
    """The MAC key, derived from the token's SHA-256 so that the store can check it too;
    a label of its own, so the key is good for carry files and nothing else."""
    return hmac.new(bytes.fromhex(token_hash), _KEY_LABEL, hashlib.sha256).digest()


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _mac(token_hash: str, payload: bytes) -> str:
    return hmac.new(carry_key(token_hash), payload, hashlib.sha256).hexdigest()


def split_batches(
    kiosk_uuid: str, records: Sequence[SignatureRecord], events: Sequence[EventInfo]
) -> list[UploadBatch]:
    """The records as protocol batches, each within the protocol's record and event limits."""
    by_id = {event.id: event for event in events}
    batches: list[UploadBatch] = []
    chunk: list[SignatureRecord] = []
    chunk_events: dict[UUID, EventInfo] = {}

    def close() -> None:
        if chunk:
            batches.append(
                UploadBatch(
                    kiosk_uuid=UUID(kiosk_uuid),
                    events=list(chunk_events.values()),
                    records=list(chunk),
                )
            )
            chunk.clear()
            chunk_events.clear()

    for record in records:
        new_event = record.event_id not in chunk_events
        if len(chunk) >= MAX_BATCH_RECORDS or (
            new_event and len(chunk_events) >= MAX_EVENTS_PER_BATCH
        ):
            close()
        chunk.append(record)
        chunk_events[record.event_id] = by_id[record.event_id]
    close()
    return batches


def build_carry_file(
    *, kiosk_uuid: str, written_at_utc: datetime, batches: Sequence[UploadBatch], token: str | None
) -> bytes:
    """The file's bytes; signed with the token's key when the kiosk is enrolled."""
    payload = {
        "kiosk_uuid": str(UUID(kiosk_uuid)),
        "written_at_utc": written_at_utc.isoformat(timespec="seconds"),
        "count": sum(len(batch.records) for batch in batches),
        "batches": [batch.model_dump(mode="json") for batch in batches],
    }
    canonical = _canonical(payload)
    document = {
        "format": CARRY_FORMAT,
        "version": CARRY_VERSION,
        "payload": payload,
        "sha256": hashlib.sha256(canonical).hexdigest(),
        "mac": _mac(token_sha256(token), canonical) if token else None,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode() + b"\n"


@dataclass(frozen=True)
class CarryFile:
    """A carry file that is whole (its digest matches) and well-formed; not yet authenticated."""

    kiosk_uuid: UUID
    written_at_utc: str
    batches: tuple[UploadBatch, ...]
    mac: str | None
    _canonical: bytes

    @property
    def count(self) -> int:
        return sum(len(batch.records) for batch in self.batches)

    @property
    def signed(self) -> bool:
        return self.mac is not None

    def signed_with(self, token_hash: str) -> bool:
        """Whether the device whose token has this SHA-256 wrote the file."""
        if self.mac is None:
            return False
        return hmac.compare_digest(_mac(token_hash, self._canonical), self.mac)


def _damaged(why: str) -> CarryFileError:
    return CarryFileError(f"The carry file is damaged or was changed ({why}); nothing imported.")


def read_carry_file(data: bytes) -> CarryFile:
    """Check a carry file whole; CarryFileError (nothing imported) for anything wrong in it."""
    if len(data) > MAX_CARRY_BYTES:
        raise CarryFileError(
            f"This file is {len(data)} bytes, more than a carry file can be "
            f"({MAX_CARRY_BYTES}); nothing imported."
        )
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _damaged("it is not complete JSON: cut short, or not a carry file") from None
    if not isinstance(document, dict) or document.get("format") != CARRY_FORMAT:
        raise CarryFileError("This is not a Klimatavtalet carry file; nothing imported.")
    if document.get("version") != CARRY_VERSION:
        raise CarryFileError(
            f"This carry file has version {document.get('version')!r}; this store reads "
            f"version {CARRY_VERSION}. Update the store; nothing imported."
        )
    payload, digest, mac = document.get("payload"), document.get("sha256"), document.get("mac")
    if not isinstance(payload, dict) or not isinstance(digest, str):
        raise _damaged("its contents or their checksum are missing")
    if mac is not None and not isinstance(mac, str):
        raise _damaged("its signature is not text")
    canonical = _canonical(payload)
    if not hmac.compare_digest(hashlib.sha256(canonical).hexdigest(), digest):
        raise _damaged("its checksum does not match its contents")
    try:
        kiosk_uuid = UUID(str(payload["kiosk_uuid"]))
        written = str(payload["written_at_utc"])
        count = payload["count"]
        raw_batches = payload["batches"]
        if not isinstance(raw_batches, list) or type(count) is not int:
            raise TypeError("batches must be a list and count a number")
        batches = tuple(UploadBatch.model_validate(batch) for batch in raw_batches)
    except (KeyError, TypeError, ValueError) as exc:  # ValidationError is a ValueError
        detail = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise _damaged(f"its contents do not fit the protocol: {detail}") from None
    carried = CarryFile(kiosk_uuid, written, batches, mac, canonical)
    if carried.count != count:
        raise _damaged(f"it says {count} signatures but holds {carried.count}")
    if any(batch.kiosk_uuid != kiosk_uuid for batch in batches):
        raise _damaged("its batches name another kiosk")
    ids = [record.id for batch in batches for record in batch.records]
    if len(set(ids)) != len(ids):
        raise _damaged("a signature appears twice")
    return carried


def carry_filename(kiosk_uuid: str, written_at_utc: datetime) -> str:
    """`klimatavtal-carry-<first part of the kiosk UUID>-<UTC time>.json`: sortable, and
    two kiosks writing to one stick never overwrite each other."""
    stamp = written_at_utc.strftime("%Y%m%dT%H%M%SZ")
    return f"klimatavtal-carry-{str(kiosk_uuid)[:8]}-{stamp}{CARRY_SUFFIX}"
