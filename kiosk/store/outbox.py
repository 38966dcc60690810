"""The kiosk's side of `sync.outbox.Outbox`: every SQL statement sync needs on
the kiosk's own tables.

The outbox is the signatures table itself: a pledge is saved with
sync_state 'pending' in the transaction that stores it. What withdrawals
and retention do to the tables is privacy's rule (`kiosk.privacy`); it is
handed in as `LocalPrivacy`, so the arrows point privacy -> store only
(`kiosk.privacy.local.kiosk_outbox(store)` builds the usual one).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any, Protocol, cast

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import CursorResult, Select, func, select, update
from sqlalchemy.orm import Session

from kiosk.store.engine import Store
from kiosk.store.models import Event, Signature, SyncRefusal, SyncState
from kiosk.store.repository import (
    STORE_TOTAL_KEY,
    attract_count_of,
    device_identity,
    get_setting,
    get_settings,
    pending_count,
    pending_count_query,
    set_setting,
)
from sync.driver_cursor import bind_processor, driver_cursor
from sync.outbox import CalendarEntry, Enrolment, EventHolding, OutboxBatch, Verdicts
from sync.privacy.keys import CampaignKeys
from sync.problems import SyncProblem
from sync.protocol import (
    MAX_YEAR,
    MIN_YEAR,
    EventInfo,
    PrivacyUpdate,
    SignatureRecord,
    plausible_day,
)
from sync.status import SyncStatus

SERVER_URL_KEY = "sync.server_url"
TOKEN_KEY = "sync.token"
LAST_SUCCESS_KEY = "sync.last_success_utc"
LAST_ERROR_KEY = "sync.last_error"
# {"server": URL, "cursor": N}: the privacy changes of that store this kiosk has applied.
PRIVACY_CURSOR_KEY = "sync.privacy_cursor"
# The campaign's upcoming events from the last sync (GET /api/v1/calendar), as JSON.
CALENDAR_KEY = "calendar.events"
_STATUS_SETTINGS = (TOKEN_KEY, SERVER_URL_KEY, LAST_SUCCESS_KEY, LAST_ERROR_KEY, STORE_TOTAL_KEY)


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class LocalPrivacy(Protocol):
    def install_keys(self, session: Session, keys: CampaignKeys) -> None: ...

    def apply_update(
        self, session: Session, privacy_update: PrivacyUpdate, *, now: datetime
    ) -> tuple[int, int]: ...

    def forget(self, session: Session, ids: list[str]) -> int: ...


# The columns a protocol record is made of, read as the driver gives them.
_RECORD_COLUMNS = (
    "id",
    "event_id",
    "created_at_utc",
    "utc_offset_minutes",
    "local_date",
    "language",
    "sealed",
    "email_hmac",
    "withdrawal_code",
    "postcode_area",
    "lives_or_works_in_helsingborg",
    "community_opt_in",
    "helper_opt_in",
    "consent_version",
    "consent_sha256",
    "consent_given_at_utc",
    "clock_unreliable",
)
_FLAGS = (
    "lives_or_works_in_helsingborg",
    "community_opt_in",
    "helper_opt_in",
    "clock_unreliable",
)
_PENDING_SQL = (
    f"SELECT {', '.join(_RECORD_COLUMNS)} FROM signatures "
    "WHERE sync_state = 'pending' AND practice = 0{skip} "
    "ORDER BY created_at_utc, id LIMIT ?"
)
# Rows in one sync state, named by UUID. `+sync_state`: from 5 UUIDs on, SQLite would
# otherwise find them through ix_signatures_pending and test every row in that state
# against the list, a cost that grew with the backlog or the kiosk's history (4.3 ms
# a batch of 500 with 10,000 pending); by the primary key it is 2.8 ms.
_IN_STATE_BY_UUID = "+sync_state = ? AND id IN ({marks})"
_MARK_SENT_SQL = (
    f"UPDATE signatures SET sync_state = ?, synced_at_utc = ? WHERE {_IN_STATE_BY_UUID}"
)
_MARK_REFUSED_SQL = f"UPDATE signatures SET sync_state = ? WHERE {_IN_STATE_BY_UUID}"
_REQUEUE_SQL = (
    f"UPDATE signatures SET sync_state = ?, synced_at_utc = NULL WHERE {_IN_STATE_BY_UUID}"
)
_CLOCK = _RECORD_COLUMNS.index("clock_unreliable")
_RECORDS = TypeAdapter(list[SignatureRecord])
_VALIDATE_CHUNK = 50  # ~3 ms of validation per call on this 2-core machine


def _record_fields(row: tuple[Any, ...], commitments: list[str]) -> dict[str, Any]:
    """A raw kiosk row as the fields of a protocol record. Times stay SQLite's text
    (pydantic reads it in Rust); the 0/1 flags become booleans."""
    fields = dict(zip(_RECORD_COLUMNS, row, strict=True))
    fields["sealed"] = base64.b64encode(fields["sealed"] or b"").decode("ascii")
    for flag in _FLAGS:
        fields[flag] = bool(fields[flag])
    fields["commitments"] = commitments
    return fields


def _to_records(rows: list[dict[str, Any]], unsendable: dict[str, str]) -> list[SignatureRecord]:
    """Validate a batch a chunk per call; only a chunk where something does not fit
    goes row by row, so the rest still goes and each misfit is named (kept in
    `unsendable`). One call holds the GIL throughout (pydantic validates in Rust),
    so a chunk is kept to a few milliseconds: the GUI thread gets its turn."""
    records: list[SignatureRecord] = []
    for start in range(0, len(rows), _VALIDATE_CHUNK):
        chunk = rows[start : start + _VALIDATE_CHUNK]
        try:
            records.extend(_RECORDS.validate_python(chunk))
            continue
        except ValidationError:
            pass
        for fields in chunk:
            try:
                records.append(SignatureRecord.model_validate(fields))
            except ValidationError as exc:
                unsendable[fields["id"]] = _why(exc)
    return records


def _bound_time(session: Session, moment: datetime) -> Any:
    """`moment` as SQLAlchemy's DateTime column binds it on this database (SQLite text)."""
    process = bind_processor(Signature.__table__.c.synced_at_utc.type, session.get_bind().dialect)
    return moment if process is None else process(moment)


def _save_total(session: Session, total: int) -> None:
    """`set_setting(session, STORE_TOTAL_KEY, total)` as one statement on the cursor:
    the ORM's read-then-write of the settings row cost ~3 ms of every batch's answer."""
    with driver_cursor(session.connection()) as cursor:
        cursor.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [STORE_TOTAL_KEY, json.dumps(total)],
        )


def _why(exc: ValidationError) -> str:
    return "does not fit the upload protocol: " + "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
    )


def refused_count(session: Session) -> int:
    return session.scalar(_refused_count_query()) or 0


def _refused_count_query() -> Select[int]:
    return (
        select(func.count()).select_from(Signature).where(Signature.sync_state == SyncState.REFUSED)
    )


class StoreOutbox:
    """`sync.outbox.Outbox` on the kiosk's SQLite store."""

    def __init__(self, store: Store, privacy: LocalPrivacy) -> None:
        self.store = store
        self._privacy = privacy

    def enrolment(self) -> Enrolment | None:
        with self.store.session() as session:
            server_url = get_setting(session, SERVER_URL_KEY)
            token = get_setting(session, TOKEN_KEY)
            kiosk_uuid = device_identity(session).device_uuid
            session.commit()
        if not server_url or not token:
            return None
        return Enrolment(server_url, token, kiosk_uuid)

    def enrol(self, *, server_url: str, token: str, keys: CampaignKeys | None) -> None:
        with self.store.session() as session:
            if keys is not None:
                self._privacy.install_keys(session, keys)
            set_setting(session, SERVER_URL_KEY, server_url)
            set_setting(session, TOKEN_KEY, token)
            set_setting(session, LAST_ERROR_KEY, None)
            device_identity(session)
            session.commit()

    def pending_batch(self, *, limit: int, skip: Collection[str]) -> OutboxBatch:
        """The oldest pending records, read on the sqlite3 cursor of a reading session:
        the profile of a 10,000-record sync showed SQLAlchemy's row processing
        (parsing every time in Python) and a model validation per row as most of
        the kiosk's share. Reading takes no write lock, so a signer's save never
        waits for the sync to read its next batch."""
        skipped = list(skip)
        sql = _PENDING_SQL.format(
            skip=f" AND id NOT IN ({', '.join('?' * len(skipped))})" if skipped else ""
        )
        with self.store.read_session() as session, driver_cursor(session.connection()) as cursor:
            rows = cursor.execute(sql, [*skipped, limit]).fetchall()
            ids = [row[0] for row in rows]
            commitments: dict[str, list[str]] = {key: [] for key in ids}
            marks = ", ".join("?" * len(ids))
            for signature_id, commitment_id in cursor.execute(
                "SELECT signature_id, commitment_id FROM signature_commitments "
                f"WHERE signature_id IN ({marks}) ORDER BY signature_id, position",
                ids,
            ):
                commitments[signature_id].append(commitment_id)
            event_ids = list({row[1] for row in rows})
            event_rows = cursor.execute(
                "SELECT id, name, place, date FROM events "
                f"WHERE id IN ({', '.join('?' * len(event_ids))})",
                event_ids,
            ).fetchall()
        events: list[EventInfo] = []
        unsendable: dict[str, str] = {}
        for event_id, name, place, day in event_rows:
            try:
                events.append(
                    EventInfo.model_validate(
                        {"id": event_id, "name": name, "place": place, "date": day}
                    )
                )
            except ValidationError as exc:
                unsendable.update({row[0]: _why(exc) for row in rows if row[1] == event_id})
        # An event dated by a reset clock travels only with records marked as such.
        implausible = {str(event.id) for event in events if not plausible_day(event.date)}
        for row in rows:
            if row[1] in implausible and not row[_CLOCK]:
                unsendable[row[0]] = (
                    "does not fit the upload protocol: its event is dated outside "
                    f"{MIN_YEAR}-{MAX_YEAR} but the signature is not marked as signed "
                    "with a wrong clock; correct the event's date in the volunteer panel"
                )
        fields = [
            _record_fields(row, commitments[row[0]]) for row in rows if row[0] not in unsendable
        ]
        return OutboxBatch(_to_records(fields, unsendable), events, unsendable)

    def apply_verdicts(self, verdicts: Verdicts) -> None:
        now = _utc_now()
        with self.store.session() as session:
            if verdicts.acknowledged:
                # On the cursor, as the read: SQLAlchemy's 500-UUID IN expansion cost
                # more than the UPDATE. The time is bound as the column type binds it.
                ids = verdicts.acknowledged
                stamp = _bound_time(session, now)
                with driver_cursor(session.connection()) as cursor:
                    cursor.execute(
                        _MARK_SENT_SQL.format(marks=", ".join("?" * len(ids))),
                        [SyncState.SENT, stamp, SyncState.PENDING, *ids],
                    )
            if verdicts.refused:
                refused = list(verdicts.refused)
                with driver_cursor(session.connection()) as cursor:
                    cursor.execute(
                        _MARK_REFUSED_SQL.format(marks=", ".join("?" * len(refused))),
                        [SyncState.REFUSED, SyncState.PENDING, *refused],
                    )
                for signature_id, reason in verdicts.refused.items():
                    session.merge(
                        SyncRefusal(signature_id=signature_id, reason=reason, refused_at_utc=now)
                    )
            self._privacy.forget(session, verdicts.erased)  # withdrawn: never stored there again
            _save_total(session, verdicts.store_total)
            session.commit()

    def save_store_total(self, total: int) -> None:
        with self.store.session() as session:
            set_setting(session, STORE_TOTAL_KEY, total)
            session.commit()

    def save_calendar(self, events: list[CalendarEntry]) -> None:
        entries = [
            {"id": e.id, "name": e.name, "place": e.place, "date": e.date.isoformat()}
            for e in events
        ]
        with self.store.session() as session:
            set_setting(session, CALENDAR_KEY, entries)
            session.commit()

    def privacy_cursor(self) -> int | None:
        """Kept with the store's address: a kiosk pointed at another store asks for all."""
        with self.store.read_session() as session:
            kept = get_setting(session, PRIVACY_CURSOR_KEY)
            server_url = get_setting(session, SERVER_URL_KEY)
        if not isinstance(kept, dict) or kept.get("server") != server_url:
            return None
        cursor = kept.get("cursor")
        return cursor if isinstance(cursor, int) else None

    def apply_privacy(self, update: PrivacyUpdate) -> tuple[int, int]:
        """The changes and the cursor that names them land in one transaction: a crash
        between the two can neither skip a withdrawal nor apply one twice wrongly."""
        with self.store.session() as session:
            done = self._privacy.apply_update(session, update, now=_utc_now())
            cursor = (
                None
                if update.cursor is None
                else {"server": get_setting(session, SERVER_URL_KEY), "cursor": update.cursor}
            )
            if get_setting(session, PRIVACY_CURSOR_KEY) != cursor:
                set_setting(session, PRIVACY_CURSOR_KEY, cursor)
            session.commit()
        return done

    def record_outcome(self, problem: SyncProblem | None) -> int:
        with self.store.session() as session:
            if problem is None:
                set_setting(session, LAST_SUCCESS_KEY, _utc_now().isoformat(timespec="seconds"))
            set_setting(session, LAST_ERROR_KEY, problem.as_json() if problem else None)
            pending = pending_count(session)  # before the commit: after it, a new BEGIN IMMEDIATE
            session.commit()
            return pending

    def holdings(self) -> list[EventHolding]:
        """Every counted record's UUID per event, for `sync --check`: a reading session,
        so a signer's save never waits for a read of the kiosk's whole history."""
        with self.store.read_session() as session:
            rows = session.execute(
                select(Signature.event_id, Signature.id, Signature.sync_state, Event.name)
                .join(Event, Event.id == Signature.event_id)
                .where(Signature.practice.is_(False), Signature.sync_state != SyncState.REFUSED)
            ).all()
        sent: dict[str, set[str]] = {}
        others: dict[str, set[str]] = {}
        names: dict[str, str] = {}
        for event_id, signature_id, state, name in rows:
            names[event_id] = name
            (sent if state == SyncState.SENT else others).setdefault(event_id, set()).add(
                signature_id
            )
        return [
            EventHolding(
                event_id,
                names[event_id],
                frozenset(sent.get(event_id, ())),
                frozenset(others.get(event_id, ())),
            )
            for event_id in names
        ]

    def requeue(self, ids: Collection[str]) -> None:
        again = list(ids)
        with self.store.session() as session:
            with driver_cursor(session.connection()) as cursor:
                cursor.execute(
                    _REQUEUE_SQL.format(marks=", ".join("?" * len(again))),
                    [SyncState.PENDING, SyncState.SENT, *again],
                )
            session.commit()

    def retry_refused(self) -> int:
        """The volunteer panel's "send refused signatures again" (and `sync --retry-refused`).
        Reasons stay in sync_refusals until the store takes the record."""
        with self.store.session() as session:
            result = session.execute(
                update(Signature)
                .where(Signature.sync_state == SyncState.REFUSED)
                .values(sync_state=SyncState.PENDING)
            )
            session.commit()
        return cast(CursorResult[Any], result).rowcount or 0


def calendar_events(session: Session) -> list[CalendarEntry]:
    """The campaign's upcoming events as the last sync brought them, soonest first
    (empty before the first sync); the volunteer panel offers them as big buttons."""
    kept = get_setting(session, CALENDAR_KEY, [])
    found: list[CalendarEntry] = []
    for entry in kept if isinstance(kept, list) else []:
        try:
            found.append(
                CalendarEntry(
                    id=str(entry["id"]),
                    name=str(entry["name"]),
                    place=str(entry["place"]),
                    date=date.fromisoformat(entry["date"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue  # an entry this version cannot read is left out, never a crash
    return sorted(found, key=lambda e: (e.date, e.name))


def read_status(store: Store, *, syncing: bool = False) -> SyncStatus:
    """Everything the volunteer panel and `status` show about sync, in one read that
    never waits for the write lock: the settings in one query, both counts in
    another. The sync worker reads it twice a pass, and a pass follows every
    signature. It was nine queries, in a session that took the write lock: 2.9 ms a
    read with 2,000 pending, 1.9 ms now."""
    with store.read_session() as session:
        settings = get_settings(session, _STATUS_SETTINGS)
        counts = select(
            pending_count_query().scalar_subquery(), _refused_count_query().scalar_subquery()
        )
        pending, refused = session.execute(counts).one()
        error = settings.get(LAST_ERROR_KEY)
        store_total = settings.get(STORE_TOTAL_KEY)
        return SyncStatus(
            enrolled=settings.get(TOKEN_KEY) is not None,
            server_url=settings.get(SERVER_URL_KEY),
            pending=pending,
            refused=refused,
            last_success_utc=settings.get(LAST_SUCCESS_KEY),
            last_error=SyncProblem.from_json(error) if error else None,
            store_total=store_total,
            attract_count=attract_count_of(session, store_total=store_total, pending=pending),
            syncing=syncing,
        )
