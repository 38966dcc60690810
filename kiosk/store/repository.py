"""Reading and writing the local store: keyword-only functions on a Session.

Practice signatures (volunteers training) are stored apart by a flag and
are never counted here, so every count the app shows excludes them.
"""

from __future__ import annotations

import errno
import json
import socket
import sqlite3
from collections.abc import Collection
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Dialect, Select, case, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from kiosk.clock import clock_problem
from kiosk.content import ConsentText
from kiosk.pledge import Pledge, postcode_area
from kiosk.store.engine import Store
from kiosk.store.keys import KEYS_SETTING, seal_pledge
from kiosk.store.models import (
    DeviceIdentity,
    Event,
    Setting,
    Signature,
    SignatureCommitment,
    SyncState,
    new_uuid,
)
from sync.driver_cursor import bind_processor
from sync.privacy.keys import CampaignKeys, development_keys
from sync.privacy.withdrawal import code_for

CURRENT_EVENT_KEY = "current_event_id"
# The central store's campaign total as last heard (sync/client.py keeps it fresh).
STORE_TOTAL_KEY = "sync.store_total"


class SaveError(RuntimeError):
    """A pledge could not be saved; nothing of it was written.

    `kind` is one of disk_full, locked, read_only, other: the UI turns it
    into plain words for the volunteer (save_error.<kind>).
    """

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


# SQLite primary result codes (https://sqlite.org/rescode.html)
_SQLITE_KIND = {
    13: "disk_full",
    5: "locked",
    6: "locked",
    8: "read_only",
    14: "read_only",
    10: "read_only",
}


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, what SQLAlchemy wrapped, and what it was raised from."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        if isinstance(current, DBAPIError) and current.orig is not None:
            chain.append(current.orig)
        current = current.__cause__
    return chain


def classify_error(exc: BaseException) -> SaveError:
    """Turn whatever a save raised into a SaveError the UI can explain."""
    chain = _causes(exc)
    for cause in chain:
        code = getattr(cause, "sqlite_errorcode", None)
        if isinstance(cause, sqlite3.Error) and code is not None and (code & 0xFF) in _SQLITE_KIND:
            return SaveError(_SQLITE_KIND[code & 0xFF], str(cause))
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            return SaveError("disk_full", str(cause))
    return SaveError("other", type(chain[-1]).__name__)


def utc_naive(moment: datetime) -> datetime:
    """An aware datetime as the naive UTC the database stores."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_now() -> datetime:
    return datetime.now().astimezone()


# --- device -----------------------------------------------------------------


def device_identity(session: Session, *, now: datetime | None = None) -> DeviceIdentity:
    """This laptop's identity, created on first use."""
    device = session.scalar(select(DeviceIdentity))
    if device is None:
        device = DeviceIdentity(
            id=1, name=socket.gethostname()[:100], created_at_utc=utc_naive(now or local_now())
        )
        session.add(device)
        session.flush()
    return device


# --- settings ---------------------------------------------------------------


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(Setting, key)
    return default if row is None else json.loads(row.value)


def get_settings(session: Session, keys: Collection[str]) -> dict[str, Any]:
    """Several settings in one query; a key that is not set is left out."""
    rows = session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(keys)))
    return {key: json.loads(value) for key, value in rows}


def set_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    encoded = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=key, value=encoded))
    else:
        row.value = encoded


# --- events -----------------------------------------------------------------


def create_event(
    session: Session,
    *,
    name: str,
    event_date: date,
    place: str = "",
    volunteers: str = "",
    now: datetime | None = None,
    event_id: str | None = None,
) -> Event:
    """A new event; `event_id` is the campaign calendar's own id when the event
    comes from it, so this kiosk's count meets the others' on the console."""
    event = Event(
        id=event_id,
        name=name,
        place=place,
        date=event_date,
        volunteers=volunteers,
        created_at_utc=utc_naive(now or local_now()),
    )
    session.add(event)
    session.flush()
    return event


def current_event(session: Session) -> Event | None:
    event_id = get_setting(session, CURRENT_EVENT_KEY)
    return session.get(Event, event_id) if event_id else None


def set_current_event(session: Session, event: Event | None) -> None:
    set_setting(session, CURRENT_EVENT_KEY, event.id if event else None)


def open_events(session: Session) -> list[Event]:
    """Events not yet ended, newest date first: the ones a volunteer may choose."""
    return list(
        session.scalars(
            select(Event)
            .where(Event.ended_at_utc.is_(None))
            .order_by(Event.date.desc(), Event.created_at_utc.desc())
        )
    )


def open_event(session: Session, event_id: str) -> Event | None:
    """The event with this id, unless it has ended (an ended event is never chosen again)."""
    event = session.get(Event, event_id)
    return event if event is not None and event.ended_at_utc is None else None


def end_event(event: Event, *, now: datetime | None = None) -> None:
    event.ended_at_utc = utc_naive(now or local_now())


def find_event(session: Session, name: str) -> Event | None:
    """The newest event with this name (names are how volunteers refer to them)."""
    return session.scalar(
        select(Event).where(Event.name == name).order_by(Event.created_at_utc.desc()).limit(1)
    )


def ensure_current_event(session: Session, *, default_name: str, now: datetime) -> Event:
    """The current event, creating a stall event for today when there is none."""
    event = current_event(session)
    if event is None:
        event = create_event(session, name=default_name, event_date=now.date(), now=now)
        set_current_event(session, event)
    return event


# --- signatures -------------------------------------------------------------


def signature_rows(
    pledge: Pledge,
    *,
    event_id: str,
    consent: ConsentText,
    now: datetime,
    keys: CampaignKeys,
    practice: bool = False,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The signatures row and signature_commitments rows for a pledge.

    `now` must be timezone-aware local time. The id is a fresh UUID made
    here, on the kiosk, so a record keeps it all the way to the central store.
    Name, email, full postcode and strokes go only into the sealed document.
    """
    offset = now.utcoffset()
    if offset is None:
        raise ValueError("now must be timezone-aware")
    details = pledge.details
    signature_id = new_uuid()
    row = {
        "id": signature_id,
        "event_id": event_id,
        "created_at_utc": utc_naive(now),
        "utc_offset_minutes": int(offset.total_seconds() // 60),
        "local_date": now.date(),
        "language": pledge.language,
        "sealed": seal_pledge(keys, pledge),
        "email_hmac": keys.email_hmac(details.email),
        "withdrawal_code": code_for(signature_id),
        "postcode_area": postcode_area(details.postcode),
        "lives_or_works_in_helsingborg": details.lives_or_works_in_helsingborg,
        "community_opt_in": details.community_opt_in,
        "helper_opt_in": details.helper_opt_in,
        "consent_version": consent.version,
        "consent_sha256": consent.sha256,
        "consent_given_at_utc": utc_naive(now),
        "practice": practice,
        "sync_state": SyncState.NEVER if practice else SyncState.PENDING,
        "synced_at_utc": None,
    }
    links = [
        {"signature_id": signature_id, "commitment_id": cid, "position": index}
        for index, cid in enumerate(dict.fromkeys(pledge.commitments))
    ]
    return row, links


def build_signature(
    pledge: Pledge,
    *,
    event_id: str,
    consent: ConsentText,
    now: datetime,
    keys: CampaignKeys,
    practice: bool = False,
) -> Signature:
    """The ORM object for a pledge (the same values save_signature writes)."""
    row, links = signature_rows(
        pledge, event_id=event_id, consent=consent, now=now, keys=keys, practice=practice
    )
    signature = Signature(**row)
    signature.commitments = [
        SignatureCommitment(commitment_id=link["commitment_id"], position=link["position"])
        for link in links
    ]
    return signature


class _SavePath:
    """The two INSERTs of a save, compiled once, with each column's bind processor.

    The profile of `save_signature` (cProfile, tests/bench/bench_store.py) showed
    SQLAlchemy's per-statement work (execution context, cache-key lookups, result
    set-up) and the ORM-built key lookup costing more than the INSERTs themselves;
    the statements go straight to the sqlite3 cursor instead, with the very values
    SQLAlchemy's column types would bind (dates and times as SQLite text, booleans
    as 0/1, from `bind_processor`), so the stored rows are the same.
    """

    def __init__(self, dialect: Dialect) -> None:
        self.signature = self._statement(Signature.__table__, dialect)
        self.commitment = self._statement(SignatureCommitment.__table__, dialect)
        self.keys_query = str(
            select(Setting.value)
            .where(Setting.key == KEYS_SETTING)
            .compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        )

    @staticmethod
    def _statement(table: Any, dialect: Dialect) -> tuple[str, list[tuple[str, Any]]]:
        columns = [(column.key, bind_processor(column.type, dialect)) for column in table.columns]
        names = ", ".join(key for key, _ in columns)
        marks = ", ".join("?" for _ in columns)
        return f"INSERT INTO {table.name} ({names}) VALUES ({marks})", columns

    @staticmethod
    def values(columns: list[tuple[str, Any]], row: dict[str, Any]) -> list[Any]:
        return [
            row[key] if process is None else process(row[key]) if row[key] is not None else None
            for key, process in columns
        ]


@cache
def _save_path(dialect: Dialect) -> _SavePath:
    return _SavePath(dialect)


@cache
def _parsed_keys(value: str) -> CampaignKeys:
    """Campaign keys from their stored JSON, parsed once per distinct value."""
    return CampaignKeys.from_json(json.loads(value))


def save_signature(
    store: Store,
    pledge: Pledge,
    *,
    event_id: str,
    consent: ConsentText,
    now: datetime | None = None,
    practice: bool = False,
) -> str:
    """Store one pledge in one transaction and return its UUID once committed.

    On any failure the transaction is rolled back and SaveError says why in
    a form the UI can explain; the caller keeps the pledge to retry.
    The personal data is sealed inside the transaction, with the key the
    kiosk holds at that moment (read in the transaction, parsed once per
    key), so no plaintext ever reaches the file. Two plain INSERTs on the
    driver's cursor of a pooled connection (`_SavePath`), in a transaction begun
    IMMEDIATE as every writing session's is: the ORM's unit of work, then Core's
    per-statement bookkeeping, then SQLAlchemy's connection and transaction
    objects each cost more than the inserts (tests/bench/bench_store.py).
    """
    try:
        # A connection from the pool (its pragmas checked), given back on leaving.
        with closing(store.engine.raw_connection()) as connection:
            try:
                with closing(connection.cursor()) as cursor:
                    return _insert_signature(
                        cursor,
                        _save_path(store.engine.dialect),
                        pledge,
                        event_id=event_id,
                        consent=consent,
                        now=now or local_now(),
                        practice=practice,
                    )
            except BaseException:
                connection.rollback()
                raise
    except Exception as exc:
        raise classify_error(exc) from exc


def _insert_signature(
    cursor: Any,
    statements: _SavePath,
    pledge: Pledge,
    *,
    event_id: str,
    consent: ConsentText,
    now: datetime,
    practice: bool,
) -> str:
    """The save's transaction on the sqlite3 cursor; returns the new UUID once committed."""
    cursor.execute("BEGIN IMMEDIATE")
    stored_keys = cursor.execute(statements.keys_query).fetchone()
    keys = development_keys() if stored_keys is None else _parsed_keys(stored_keys[0])
    row, links = signature_rows(
        pledge, event_id=event_id, consent=consent, now=now, keys=keys, practice=practice
    )
    row["clock_unreliable"] = clock_problem(row["created_at_utc"]) is not None
    sql, columns = statements.signature
    cursor.execute(sql, statements.values(columns, row))
    if links:
        sql, columns = statements.commitment
        cursor.executemany(sql, [statements.values(columns, link) for link in links])
    cursor.execute("COMMIT")
    return str(row["id"])


def _counted() -> Any:
    return Signature.practice.is_(False)


def count_signatures(
    session: Session, *, local_date: date | None = None, event_id: str | None = None
) -> int:
    query = select(func.count()).select_from(Signature).where(_counted())
    if local_date is not None:
        query = query.where(Signature.local_date == local_date)
    if event_id is not None:
        query = query.where(Signature.event_id == event_id)
    return session.scalar(query) or 0


def attract_count(session: Session) -> int:
    """The number the attract screen shows ("N helsingborgare har skrivit på").

    The central store's last known total plus what is still pending here.
    The total is saved in the same transaction that marks records sent, so
    a record is always counted exactly once. Before the kiosk has ever
    heard from the store, it is what this kiosk holds.
    """
    store_total = get_setting(session, STORE_TOTAL_KEY)
    pending = 0 if store_total is None else pending_count(session)
    return attract_count_of(session, store_total=store_total, pending=pending)


def attract_count_of(session: Session, *, store_total: Any, pending: int) -> int:
    """`attract_count` from the store total and pending count already read."""
    if store_total is None:
        return count_signatures(session)
    return int(store_total) + pending


def pending_count(session: Session) -> int:
    return session.scalar(pending_count_query()) or 0


def pending_count_query() -> Select[int]:
    """How many signatures wait to be sent (practice ones never travel)."""
    return (
        select(func.count())
        .select_from(Signature)
        .where(_counted(), Signature.sync_state == SyncState.PENDING)
    )


@dataclass(frozen=True)
class EventCount:
    event_id: str
    name: str
    place: str
    date: date
    signatures: int
    pending: int


def counts_per_event(session: Session) -> list[EventCount]:
    pending = func.sum(case((Signature.sync_state == SyncState.PENDING, 1), else_=0))
    rows = session.execute(
        select(
            Event.id,
            Event.name,
            Event.place,
            Event.date,
            func.count(Signature.id),
            func.coalesce(pending, 0),
        )
        .outerjoin(Signature, (Signature.event_id == Event.id) & _counted())
        .group_by(Event.id)
        .order_by(Event.date, Event.created_at_utc)
    ).all()
    return [EventCount(*row) for row in rows]
