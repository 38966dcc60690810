"""Carrying pending signatures to the central store on a USB stick (a stall never online).

`write_carry_file` puts every pending signature, still sealed, into one carry
file (format: sync.carry) in a folder the volunteer chose; the organiser
imports it with `klimatavtal-store carry-in`. Nothing is marked sent: the
signatures stay pending until a sync confirms them (the store then answers
"already held"), so a lost or broken stick loses nothing. What was written
last (time, count, file) is kept, for the volunteer panel and `status`.

An enrolled kiosk signs the file with a key from its token; one that was
never enrolled writes it unsigned, and says so: the organiser must vouch for
it with `carry-in --trust-unsigned DEVICE`. No Qt here: the panel runs this on
its worker thread, `klimatavtal carry` in a terminal.
"""

from __future__ import annotations

import errno
import getpass
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.privacy.local import kiosk_outbox
from kiosk.store import Store
from kiosk.store.repository import device_identity, get_setting, set_setting
from sync.carry import (
    CarryFileError,
    build_carry_file,
    carry_filename,
    read_carry_file,
    split_batches,
)
from sync.protocol import MAX_BATCH_RECORDS, EventInfo, SignatureRecord

LAST_CARRY_KEY = "carry.last_written"


@dataclass(frozen=True)
class CarryWritten:
    """A carry file written and read back; `left_out` pending ones did not fit the protocol
    (they wait here, as they do for sync)."""

    path: Path
    count: int
    signed: bool
    left_out: int


@dataclass(frozen=True)
class CarryProblem:
    """Nothing was written. `kind`: nothing_pending, disk_full, read_only, no_folder, other."""

    kind: str
    detail: str


@dataclass(frozen=True)
class LastCarry:
    at_utc: datetime
    count: int
    file: str


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _pending(store: Store) -> tuple[list[SignatureRecord], list[EventInfo], int]:
    """Every pending record as the protocol has it, through the same outbox sync uses."""
    outbox = kiosk_outbox(store)
    records: list[SignatureRecord] = []
    events: dict[str, EventInfo] = {}
    seen: set[str] = set()
    left_out = 0
    while True:
        batch = outbox.pending_batch(limit=MAX_BATCH_RECORDS, skip=seen)
        if not batch.records and not batch.unsendable:
            return records, list(events.values()), left_out
        records.extend(batch.records)
        events.update({str(event.id): event for event in batch.events})
        seen.update(str(record.id) for record in batch.records)
        seen.update(batch.unsendable)
        left_out += len(batch.unsendable)


def _problem_for(exc: OSError) -> CarryProblem:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return CarryProblem("disk_full", str(exc))
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return CarryProblem("read_only", str(exc))
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return CarryProblem("no_folder", str(exc))
    return CarryProblem("other", str(exc))


def _write_durably(path: Path, data: bytes) -> None:
    """Write under a temporary name, flush to the stick, then rename: a stick pulled out
    half-way leaves no file that looks whole."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def write_carry_file(
    store: Store, folder: Path, *, now: datetime | None = None
) -> CarryWritten | CarryProblem:
    """Write the pending signatures to a new carry file in `folder`; marks nothing sent."""
    moment = now or _utc_now()
    if not folder.is_dir():
        return CarryProblem("no_folder", str(folder))
    records, events, left_out = _pending(store)
    if not records:
        return CarryProblem("nothing_pending", f"{left_out} do not fit the protocol")
    enrolment = kiosk_outbox(store).enrolment()
    if enrolment is not None:
        kiosk_uuid, token = enrolment.kiosk_uuid, enrolment.token
    else:
        with store.session() as session:
            kiosk_uuid, token = device_identity(session).device_uuid, None
            session.commit()
    data = build_carry_file(
        kiosk_uuid=kiosk_uuid,
        written_at_utc=moment,
        batches=split_batches(kiosk_uuid, records, events),
        token=token,
    )
    path = folder / carry_filename(kiosk_uuid, moment)
    try:
        _write_durably(path, data)
        read_carry_file(path.read_bytes())  # the stick gives back what was written
    except OSError as exc:
        return _problem_for(exc)
    except CarryFileError as exc:
        path.unlink(missing_ok=True)
        return CarryProblem("other", str(exc))
    with store.session() as session:
        set_setting(
            session,
            LAST_CARRY_KEY,
            {
                "at_utc": moment.isoformat(timespec="seconds"),
                "count": len(records),
                "file": str(path),
            },
        )
        session.commit()
    return CarryWritten(path, len(records), token is not None, left_out)


def last_carry(store: Store) -> LastCarry | None:
    """When a carry file was last written, with how many signatures, and where."""
    with store.read_session() as session:
        saved = get_setting(session, LAST_CARRY_KEY)
    if not saved:
        return None
    return LastCarry(datetime.fromisoformat(saved["at_utc"]), int(saved["count"]), saved["file"])


def default_drive_roots() -> list[Path]:
    """Where desktop Linux mounts USB sticks: /media/$USER (Debian, Ubuntu) and
    /run/media/$USER (Fedora, Arch)."""
    user = getpass.getuser()
    return [Path("/media") / user, Path("/run/media") / user]


def removable_drives(roots: Iterable[Path] | None = None) -> list[Path]:
    """The mounted drives the volunteer may choose, by name; only folders one may write to."""
    found: list[Path] = []
    for root in default_drive_roots() if roots is None else roots:
        try:
            entries = list(os.scandir(root))
        except OSError:
            continue
        found.extend(
            Path(entry.path)
            for entry in entries
            if entry.is_dir() and not entry.name.startswith(".") and os.access(entry, os.W_OK)
        )
    return sorted(found, key=lambda path: (path.name.casefold(), str(path)))
