"""What the store does with uploads, counts and reconciliation; keyword-only functions.

`store_batch` is where exactly-once happens: inside one transaction,
INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id tells which records are
new; for the others the stored content digest decides between an
acknowledged retry and a conflict, which is kept aside in `conflicts`.
On PostgreSQL a concurrent insert of the same UUID waits for the other
transaction, so the follow-up read sees the committed row.
"""

from __future__ import annotations

import hashlib
import json
from binascii import a2b_base64
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CursorResult,
    Table,
    bindparam,
    delete,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync.driver_cursor import driver_cursor
from sync.protocol import (
    MAX_PRIVACY_CHANGES,
    EventCountOut,
    EventReconciliation,
    PrivacyUpdate,
    ReconcileRequest,
    SignatureRecord,
    Stats,
    UploadBatch,
    UploadResult,
    digests_of_json,
    ids_digest,
    records_as_json,
)
from sync.server.devices import utc_now
from sync.server.models import (
    Base,
    Conflict,
    Device,
    Erasure,
    PrivacyChange,
    PrivacySequence,
    StoredSignature,
    StoreEvent,
    Tally,
    WithdrawalAudit,
    WithdrawnCode,
)

CONFLICT_REASON = (
    "conflict: the store already holds a different record with this UUID; "
    "kept aside for an organiser to look at"
)


def _table(model: type[Base]) -> Table:
    """A model's Core table, typed as one (SQLAlchemy types `__table__` as any FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _row(
    record: SignatureRecord,
    content: dict[str, Any],
    digest: str,
    device_id: int,
    kiosk_uuid: str,
    received: datetime | str,
    *,
    times_as_text: bool,
) -> dict[str, Any]:
    """A signature's row, from the record's JSON values (`records_as_json`), which
    carry its fields under the columns' names: copied in one go, not read one by one.

    With `times_as_text` (SQLite) the times go as the text SQLAlchemy's SQLite
    DATETIME stores (`_sqlite_time`), respelled from the JSON's, and the day as
    the JSON spells it: the raw executemany (`_insert_new`) left them to sqlite3's
    datetime adapter, a Python call per value (5% of the store's work in
    bench_sync), which also dropped a zero fraction of a second. On PostgreSQL
    they are the record's datetimes, for psycopg."""
    row = {
        **content,
        "content_sha256": digest,
        "device_id": device_id,
        "kiosk_uuid": kiosk_uuid,
        "received_at_utc": received,
        "sealed": a2b_base64(content["sealed"]),  # base64 already, as the protocol checked
        "commitments": _commitments_json(tuple(content["commitments"])),
    }
    if times_as_text:
        row["created_at_utc"] = _sqlite_time(content["created_at_utc"])
        row["consent_given_at_utc"] = _sqlite_time(content["consent_given_at_utc"])
    else:
        row["created_at_utc"] = record.created_at_utc
        row["consent_given_at_utc"] = record.consent_given_at_utc
        row["local_date"] = record.local_date
    return row


def _sqlite_time(iso: str) -> str:
    """A naive UTC time's ISO text (`2026-06-13T09:00:00[.ffffff]`, as pydantic and
    `isoformat` spell it) as SQLAlchemy's SQLite DATETIME stores it: a space, and
    always the six digits of the fraction (`2026-06-13 09:00:00.000000`), so the
    text sorts as the times do."""
    return f"{iso[:10]} {iso[11:19]}.{iso[20:26] or '000000'}"


@lru_cache(maxsize=4096)
def _commitments_json(commitments: tuple[str, ...]) -> str:
    """As stored since the first version; a campaign has a handful of commitments, so
    a batch's 500 records spell a few dozen different lists."""
    return json.dumps(list(commitments), ensure_ascii=False)


def _any_row(session: Session, table: Any) -> bool:
    """Whether a (usually empty) table holds anything: one indexed probe saves a
    500-UUID IN query per batch when nobody has withdrawn yet."""
    return session.scalar(select(literal(1)).select_from(table).limit(1)) is not None


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> tuple[set[str], dict[str, str]]:
    """Insert the rows whose UUID the store lacks; return the UUIDs inserted and the
    stored content digest of the others (to tell a retry from a conflict).

    On PostgreSQL, INSERT ... ON CONFLICT DO NOTHING RETURNING: a concurrent insert of
    the same UUID waits for the other transaction (the rows as one array per column:
    `_postgresql_insert`). On SQLite the transaction began
    IMMEDIATE (sync.server.db), so nobody else writes until it ends: the UUIDs held
    are read first and the rest go in as one executemany on the sqlite3 cursor, each
    value as SQLite stores it (`_row`, `_sqlite_insert`: the profile showed
    SQLAlchemy's per-row parameter processing costing more than the INSERT)."""
    if not rows:
        return set(), {}
    table = _table(StoredSignature)  # Core, not the ORM: no per-row bookkeeping
    keys = [row["id"] for row in rows]
    if session.get_bind().dialect.name != "sqlite":
        names = tuple(rows[0])
        with driver_cursor(session.connection()) as cursor:
            cursor.execute(
                _postgresql_insert(session.get_bind().dialect, names),
                [[row[name] for row in rows] for name in names],
            )
            inserted = {key for (key,) in cursor.fetchall()}
        others = [key for key in keys if key not in inserted]
        stored = (
            dict(
                session.execute(
                    select(StoredSignature.id, StoredSignature.content_sha256).where(
                        StoredSignature.id.in_(others)
                    )
                ).all()
            )
            if others
            else {}
        )
        return inserted, stored
    names = tuple(rows[0])
    sql = _sqlite_insert(names)
    with driver_cursor(session.connection()) as cursor:
        stored = dict(
            cursor.execute(
                f"SELECT id, content_sha256 FROM {table.name} "
                f"WHERE id IN ({', '.join('?' * len(keys))})",
                keys,
            ).fetchall()
        )
        fresh = [row for row in rows if row["id"] not in stored]
        spell = itemgetter(*names)  # each row's values in the INSERT's order, in C
        cursor.executemany(sql, [spell(row) for row in fresh])
    return {row["id"] for row in fresh}, stored


@cache
def _postgresql_insert(dialect: Any, names: tuple[str, ...]) -> str:
    """INSERT ... SELECT FROM unnest(one array per column), for psycopg's cursor: one
    short statement for the whole batch. As a VALUES list of 100 rows x 22 columns,
    psycopg split the 2,200 placeholders out of the SQL in Python on every batch (a
    fifth of a worker's CPU in bench_sync_scaleout's profile) and PostgreSQL parsed
    and planned it anew each time; this text never changes, so psycopg caches its
    conversion and PostgreSQL prepares it once per connection. The arrays go in
    binary (%b): in text psycopg quoted and escaped each of the 2,200 values in
    Python, a quarter of a worker's time with the GIL (3.5 ms a batch, 0.5 binary)."""
    table = _table(StoredSignature)
    arrays = ", ".join(
        f"CAST(%b AS {table.c[name].type.compile(dialect=dialect)}[])" for name in names
    )
    return (
        f"INSERT INTO {table.name} ({', '.join(names)}) SELECT * FROM unnest({arrays}) "
        "ON CONFLICT (id) DO NOTHING RETURNING id"
    )


@cache
def _sqlite_insert(names: tuple[str, ...]) -> str:
    """The INSERT of these columns, built once. The rows bring each value as SQLite
    stores it (`_row`): sqlite3 binds text, numbers and bytes as they are and True as
    1, as SQLAlchemy's bind processors would, which cost ~3 ms a batch in Python."""
    table = _table(StoredSignature)
    marks = ", ".join("?" for _ in names)
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"


def store_batch(session: Session, *, batch: UploadBatch, device: Device) -> UploadResult:
    """Store a batch and answer per record; the caller commits once.

    Written for a batch of 500 (the profile of a 10,000-record sync): each UUID is
    turned into text once, the digests come from one serialisation of the batch,
    and the tombstone and withdrawn-code lookups are skipped while those tables are
    empty (the usual case)."""
    now = utc_now()
    events = [
        {"id": str(e.id), "name": e.name, "place": e.place, "date": e.date} for e in batch.events
    ]
    if events:
        session.execute(_insert(session, StoreEvent.__table__).on_conflict_do_nothing(), events)
    contents = records_as_json(batch.records)  # UUIDs and times spelled once, in Rust
    keyed = [(content["id"], r) for content, r in zip(contents, batch.records, strict=True)]
    erased: set[str] = set()
    if _any_row(session, Erasure.__table__):
        erased = set(
            session.scalars(
                select(Erasure.signature_id).where(Erasure.signature_id.in_([k for k, _ in keyed]))
            )
        )
    # Withdrawn on the public page before this kiosk synced: never stored.
    if _any_row(session, WithdrawnCode.__table__):
        erased |= withdrawn_before_arrival(session, [r for k, r in keyed if k not in erased])
    kept = [
        (key, record, content)
        for (key, record), content in zip(keyed, contents, strict=True)
        if key not in erased
    ]
    digests = dict(
        zip(
            (key for key, _, _ in kept),
            digests_of_json([content for _, _, content in kept]),
            strict=True,
        )
    )
    kiosk_uuid = str(batch.kiosk_uuid)
    on_sqlite = session.get_bind().dialect.name == "sqlite"
    received = _sqlite_time(now.isoformat()) if on_sqlite else now
    rows = [
        _row(r, content, digests[key], device.id, kiosk_uuid, received, times_as_text=on_sqlite)
        for key, r, content in kept
    ]
    if not on_sqlite:
        firsts = _point_repeats_at_first(session, rows)
        inserted, stored = _insert_new(session, rows)
        new_records = [(key, r) for key, r, _ in kept if key in inserted]
        _repoint_missed_firsts(session, rows, inserted, firsts - inserted)
        held: dict[str, int] = {}
    else:
        inserted, stored = _insert_new(session, rows)
        new_records = [(key, r) for key, r, _ in kept if key in inserted]
        held = _flag_repeat_signers(session, new_records)
    # Plain dicts, validated in one call below: model_construct, in Python, cost ~20 µs
    # a record (a tenth of the store's time in bench_sync's profile).
    results: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    counts = dict.fromkeys(("accepted", "duplicate", "refused", "erased"), 0)
    for key, record in keyed:
        if key in erased:
            status, code = "erased", 410
        elif key in inserted:
            status, code = "accepted", 201
        elif stored.get(key) == digests[key]:
            status, code = "duplicate", 200
        else:
            status, code = "refused", 409
            conflicts.append(
                {
                    "signature_id": key,
                    "content_sha256": digests[key],
                    "device_id": device.id,
                    "received_at_utc": now,
                    "payload": record.model_dump_json(),
                }
            )
        counts[status] += 1
        results.append(
            {
                "id": record.id,
                "status": status,
                "code": code,
                "reason": CONFLICT_REASON if status == "refused" else None,
            }
        )
    if conflicts:
        session.execute(_insert(session, Conflict.__table__).on_conflict_do_nothing(), conflicts)
    device.last_seen_at_utc = now
    session.flush()
    answer = UploadResult.model_validate(
        {
            "accepted": counts["accepted"],
            "duplicates": counts["duplicate"],
            "refused": counts["refused"],
            "erased": counts["erased"],
            "results": results,
            "total": campaign_total(session),
        }
    )
    _log_new_email_hmacs(session, new_records, held)  # last: may lock the sequence
    return answer


# On PostgreSQL the stored signatures are counted by triggers into signature_counts
# (migration d8f2b6c4a1e9): every upload answers the total, and count(*) read the
# whole table each time. Inside a transaction the sum sees what count(*) would: the
# committed rows and this transaction's own.
_COUNTED_SIGNATURES = text("SELECT coalesce(sum(delta), 0) FROM signature_counts")


def kiosk_signature_count(session: Session) -> int:
    if session.get_bind().dialect.name == "postgresql":
        return int(session.scalar(_COUNTED_SIGNATURES) or 0)
    return session.scalar(select(func.count()).select_from(StoredSignature)) or 0


def tallies_per_source(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Tally.source, func.sum(Tally.count)).group_by(Tally.source).order_by(Tally.source)
    ).all()
    return {source: int(total) for source, total in rows}


def campaign_total(session: Session) -> int:
    return kiosk_signature_count(session) + sum(tallies_per_source(session).values())


# Per event: the signatures counted by event first, then joined to the ~dozens of
# events, not every signature joined to its event and grouped by the event's four
# columns (~half the time on 20,000 rows in bench_sync_scaleout's store).
_PER_EVENT_COUNTS = (
    select(StoredSignature.event_id, func.count().label("n"))
    .group_by(StoredSignature.event_id)
    .subquery()
)
_PER_EVENT = (
    select(StoreEvent.id, StoreEvent.name, StoreEvent.place, StoreEvent.date, _PER_EVENT_COUNTS.c.n)
    .join(_PER_EVENT_COUNTS, _PER_EVENT_COUNTS.c.event_id == StoreEvent.id)
    .order_by(StoreEvent.date, StoreEvent.name)
)


def _stats(session: Session, per_event: list[Any]) -> Stats:
    sources = tallies_per_source(session)
    kiosks = kiosk_signature_count(session)
    return Stats(
        total=kiosks + sum(sources.values()),
        kiosk_signatures=kiosks,
        sources=sources,
        events=[
            EventCountOut(id=UUID(eid), name=name, place=place, date=day, count=count)
            for eid, name, place, day, count, *_ in per_event
        ],
    )


def stats(session: Session) -> Stats:
    return _stats(session, list(session.execute(_PER_EVENT).all()))


def add_tally(session: Session, *, source: str, count: int, note: str = "") -> Tally:
    """Add signatures gathered elsewhere; a negative count corrects an earlier one."""
    source = source.strip()
    if not source or len(source) > 40:
        raise ValueError("a source name is 1 to 40 characters")
    if len(note) > 200:
        raise ValueError("a note is at most 200 characters")
    current = tallies_per_source(session).get(source, 0)
    if current + count < 0:
        raise ValueError(f"{source} would go below zero (it is {current})")
    tally = Tally(source=source, count=count, note=note, added_at_utc=utc_now())
    session.add(tally)
    session.flush()
    return tally


def reconcile(session: Session, *, request: ReconcileRequest) -> list[EventReconciliation]:
    answers = []
    for item in request.events:
        ids = list(
            session.scalars(
                select(StoredSignature.id).where(StoredSignature.event_id == str(item.event_id))
            )
        )
        answers.append(
            EventReconciliation(
                event_id=item.event_id,
                held=len(ids),
                matches=len(ids) == item.count and ids_digest(ids) == item.digest,
            )
        )
    return answers


def missing_ids(session: Session, *, ids: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(ids))
    held = set(session.scalars(select(StoredSignature.id).where(StoredSignature.id.in_(wanted))))
    return [value for value in wanted if value not in held]


# --- privacy: repeat signers, erasure, retention ----------------------------


def _flag_repeat_signers(
    session: Session, records: list[tuple[str, SignatureRecord]]
) -> dict[str, int]:
    """Point each new record whose email HMAC the store already knows at the first one;
    returns how many signatures the store holds now with each of their HMACs."""
    hmacs = {r.email_hmac for _, r in records if r.email_hmac}
    if not hmacs:
        return {}
    first: dict[str, tuple[Any, ...]] = {}
    held: dict[str, int] = {}
    for hmac_value, signature_id, received, created in _holders(session, hmacs):
        order = (received, created, signature_id)
        if hmac_value is None:
            continue
        held[hmac_value] = held.get(hmac_value, 0) + 1
        if hmac_value not in first or order < first[hmac_value]:
            first[hmac_value] = order
    repeats = [
        {"key": key, "first": earliest[-1]}
        for key, record in records
        if (earliest := first.get(record.email_hmac or "")) and earliest[-1] != key
    ]
    if repeats:
        # One executemany, not a statement per repeat signer: 20 kiosks of the same
        # campaign bring many (bench_sync_scaleout: half of every batch).
        table = _table(StoredSignature)
        session.execute(
            update(table)
            .where(table.c.id == bindparam("key"))
            .values(duplicate_of=bindparam("first")),
            repeats,
        )
    return held


# On PostgreSQL a repeat signer is pointed at the first signature of its email HMAC
# as it is inserted, not by an UPDATE after: duplicate_of is in an index, so every
# UPDATE wrote a second version of the row and of its six index entries (half of
# each batch in bench_sync_scaleout, all dead at once) that every later reader of
# those HMACs stepped over. The first is chosen as `_flag_repeat_signers` chooses it
# (received, created, UUID) from the stored first, read from ix_signatures_email_first
# (one entry per HMAC), and this batch's records. Uploads hold the erasures' lock
# shared from that read on (`_exclude_erasures`), so no erasure of a first read here
# commits before this upload does.
_FIRST_HOLDERS = text("""
SELECT brought.hmac, first.id, first.received_at_utc, first.created_at_utc
FROM unnest(CAST(:hmacs AS varchar(64)[])) AS brought(hmac)
CROSS JOIN LATERAL (
    SELECT id, received_at_utc, created_at_utc FROM signatures
    WHERE email_hmac = brought.hmac
    ORDER BY received_at_utc, created_at_utc, id
    LIMIT 1
) AS first
""")
_POINT_AT_FIRST = text("""
UPDATE signatures SET duplicate_of = repeat.first
FROM unnest(CAST(:keys AS varchar(36)[]), CAST(:firsts AS varchar(36)[])) AS repeat(key, first)
WHERE signatures.id = repeat.key
""")


def _first_holders(session: Session, hmacs: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """Per email HMAC, (received, created, id) of the first stored signature with it."""
    return {
        hmac_value: (received, created, key)
        for hmac_value, key, received, created in session.execute(
            _FIRST_HOLDERS, {"hmacs": sorted(hmacs)}
        )
    }


def _point_repeats_at_first(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Fill each row's duplicate_of before the insert (PostgreSQL); returns the UUIDs of
    this batch's rows chosen as some HMAC's first."""
    for row in rows:
        row["duplicate_of"] = None
    hmacs = {row["email_hmac"] for row in rows if row["email_hmac"]}
    if not hmacs:
        return set()
    _exclude_erasures(session, exclusive=False)
    first = _first_holders(session, hmacs)
    for row in rows:
        if row["email_hmac"]:
            order = (row["received_at_utc"], row["created_at_utc"], row["id"])
            if row["email_hmac"] not in first or order < first[row["email_hmac"]]:
                first[row["email_hmac"]] = order
    for row in rows:
        if row["email_hmac"] and (key := first[row["email_hmac"]][-1]) != row["id"]:
            row["duplicate_of"] = key
    keys = {row["id"] for row in rows}
    return {order[-1] for order in first.values() if order[-1] in keys}


def _repoint_missed_firsts(
    session: Session, rows: list[dict[str, Any]], inserted: set[str], missed: set[str]
) -> None:
    """A first chosen from this batch that was not inserted (the store held its UUID
    already, with other content, or another upload inserted it meanwhile): the rows
    inserted pointing at it are pointed again, after the insert, at the first the
    store now holds, in one UPDATE from arrays. Rare: the usual batch never gets here."""
    affected = [
        (row["id"], row["email_hmac"])
        for row in rows
        if row["id"] in inserted and row["duplicate_of"] in missed
    ]
    if not affected:
        return
    first = _first_holders(session, {hmac_value for _, hmac_value in affected})
    pointed = [
        (key, first[hmac_value][-1] if first[hmac_value][-1] != key else None)
        for key, hmac_value in affected
    ]
    session.execute(
        _POINT_AT_FIRST,
        {"keys": [key for key, _ in pointed], "firsts": [value for _, value in pointed]},
    )


def _holders(session: Session, hmacs: set[str]) -> list[tuple[Any, ...]]:
    """(email HMAC, id, received, created) of the stored signatures with these HMACs, on
    SQLite. The times stay the text they are stored as (`_sqlite_time`), which sorts
    as the times do, and parsing ~250 rows' times a batch in Python was a tenth of the
    store's time in bench_sync. (Rows stored before 2026-12-02 may lack a zero
    fraction, `09:00:00`: it still sorts before any later time.)"""
    with driver_cursor(session.connection()) as cursor:
        rows: list[tuple[Any, ...]] = cursor.execute(
            "SELECT email_hmac, id, received_at_utc, created_at_utc FROM signatures "
            f"WHERE email_hmac IN ({', '.join('?' * len(hmacs))})",
            list(hmacs),
        ).fetchall()
        return rows


def erase(
    session: Session, *, withdrawal_code: str | None = None, email_hmac: str | None = None
) -> list[str]:
    """Remove the signatures with this withdrawal code or email HMAC; keep only tombstones
    (UUID and when), so a kiosk that uploads one again is told to delete it."""
    query = select(StoredSignature.id)
    if withdrawal_code is not None:
        query = query.where(StoredSignature.withdrawal_code == withdrawal_code)
    elif email_hmac is not None:
        query = query.where(StoredSignature.email_hmac == email_hmac)
    else:
        raise ValueError("erase needs a withdrawal code or an email HMAC")
    if session.get_bind().dialect.name == "postgresql":
        _exclude_erasures(session, exclusive=True)
    _lock_privacy_sequence(session)
    ids = list(session.scalars(query))
    if not ids:
        return []
    now = utc_now()
    hmacs = {
        value
        for value in session.scalars(
            select(StoredSignature.email_hmac).where(
                StoredSignature.id.in_(ids), StoredSignature.email_hmac.is_not(None)
            )
        )
        if value is not None
    }
    session.execute(
        update(StoredSignature)
        .where(StoredSignature.duplicate_of.in_(ids))
        .values(duplicate_of=None)
    )
    session.execute(delete(Conflict).where(Conflict.signature_id.in_(ids)))
    session.execute(delete(StoredSignature).where(StoredSignature.id.in_(ids)))
    session.execute(
        _insert(session, Erasure.__table__).on_conflict_do_nothing(),
        [{"signature_id": key, "erased_at_utc": now} for key in ids],
    )
    still_held = _held_email_hmacs(session, hmacs)
    _append_privacy_changes(
        session,
        [("erased", key) for key in ids]
        + [("unemail", value) for value in sorted(hmacs - still_held)],
    )
    session.flush()
    return ids


# --- privacy changes, numbered for the kiosks' cursor --------------------------------
#
# Every writer of privacy changes (an upload with a new email HMAC, an erasure)
# locks the one `privacy_sequence` row before numbering and keeps it until commit.
# That orders the writers: numbers are handed out in commit order, so a kiosk whose
# cursor is N has seen every change numbered N or less, even with several server
# processes on one PostgreSQL. Whether an HMAC is new is decided against everything
# committed before, with no erasure running: on SQLite under that same lock (one
# writer at a time anyway); on PostgreSQL under an advisory lock uploads share and
# an erasure takes alone (`_exclude_erasures`), so an erasure and an upload of the
# same address cannot cross, and uploads with nothing new do not wait for each other.


def _lock_privacy_sequence(session: Session) -> int:
    """Lock the sequence row (until commit) and return the last number handed out."""
    session.execute(
        update(PrivacySequence).where(PrivacySequence.id == 1).values(last=PrivacySequence.last)
    )
    return session.scalar(select(PrivacySequence.last).where(PrivacySequence.id == 1)) or 0


def _append_privacy_changes(session: Session, changes: list[tuple[str, str]]) -> None:
    """Number and store changes. The numbers are taken by one UPDATE ... RETURNING,
    which locks the sequence row until commit (on SQLite the transaction holds the
    write lock already)."""
    if not changes:
        return
    moved_on = (
        update(PrivacySequence)
        .where(PrivacySequence.id == 1)
        .values(last=PrivacySequence.last + len(changes))
        .returning(PrivacySequence.last)
    )
    last = session.execute(moved_on).scalar_one() - len(changes)
    session.execute(
        _table(PrivacyChange).insert(),
        [
            {"seq": last + 1 + index, "kind": kind, "value": value}
            for index, (kind, value) in enumerate(changes)
        ],
    )


def _held_email_hmacs(
    session: Session, hmacs: set[str], *, besides: Iterable[str] = ()
) -> set[str]:
    """Which of these HMACs stored signatures carry (leaving out the ids in `besides`)."""
    if not hmacs:
        return set()
    query = select(StoredSignature.email_hmac).where(StoredSignature.email_hmac.in_(hmacs))
    others = list(besides)
    if others:
        query = query.where(StoredSignature.id.not_in(others))
    return set(session.scalars(query.distinct()))


def _log_new_email_hmacs(
    session: Session, records: list[tuple[str, SignatureRecord]], held: dict[str, int]
) -> None:
    """Number the email HMACs these newly stored records brought that the store lacked.

    An HMAC was known before when the store holds more signatures with it than this
    batch brought: a count per HMAC, not a NOT IN over the batch's 500 UUIDs. On
    SQLite `held` (counted by `_flag_repeat_signers` in this transaction) is still
    true: the transaction began IMMEDIATE, so no one else has written since."""
    brought: dict[str, int] = {}
    for _, record in records:
        if record.email_hmac:
            brought[record.email_hmac] = brought.get(record.email_hmac, 0) + 1
    if not brought:
        return
    if session.get_bind().dialect.name == "postgresql":
        _log_new_email_hmacs_postgresql(session, brought)
        return
    fresh = sorted(value for value, count in brought.items() if held.get(value, 0) <= count)
    _append_privacy_changes(session, [("email", value) for value in fresh])


# On PostgreSQL the same decision in one statement, after taking the erasures' lock
# shared (`_exclude_erasures`): which brought HMACs the store holds no more of than
# this batch brought, numbered in sorted order under the sequence row's lock, which
# is taken only when there is something to number. Two uploads of the same new HMAC
# at once may both number it; kiosks apply that twice harmlessly (as with a whole
# state and a change after it).
_LOG_NEW_EMAIL_HMACS = text("""
WITH brought AS (
    SELECT hmac, n FROM unnest(CAST(:hmacs AS text[]), CAST(:counts AS integer[])) AS b(hmac, n)
), fresh AS MATERIALIZED (
    SELECT hmac, row_number() OVER (ORDER BY hmac COLLATE "C") AS k FROM brought
    WHERE (SELECT count(*) FROM signatures AS s WHERE s.email_hmac = brought.hmac) <= n
), numbered AS (
    UPDATE privacy_sequence SET last = last + (SELECT count(*) FROM fresh)
    WHERE id = 1 AND EXISTS (SELECT 1 FROM fresh)
    RETURNING last - (SELECT count(*) FROM fresh) AS base
)
INSERT INTO privacy_changes (seq, kind, value)
SELECT numbered.base + fresh.k, 'email', fresh.hmac FROM numbered, fresh
""")
# The key of the PostgreSQL advisory lock between uploads (shared) and erasures
# (exclusive); any constant no other code uses.
_ERASURES_LOCK = 0x6B74_0001


def _exclude_erasures(session: Session, *, exclusive: bool) -> None:
    """Until commit: uploads (shared) do not wait for one another, only for an
    erasure (exclusive), which waits for every upload deciding which HMACs are new."""
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    session.execute(text(f"SELECT {function}(:key)"), {"key": _ERASURES_LOCK})


def _log_new_email_hmacs_postgresql(session: Session, brought: dict[str, int]) -> None:
    """`_log_new_email_hmacs` without a lock every upload waits for. With the sequence
    row locked from the first statement to commit (five round trips, each waiting for
    its Python thread to get the GIL back), bench_sync_scaleout found most of
    PostgreSQL's sessions waiting on that row, in one worker or two alike. The
    erasures' lock is held shared already: `_point_repeats_at_first` took it before
    reading the firsts of these HMACs."""
    session.execute(
        _LOG_NEW_EMAIL_HMACS, {"hmacs": list(brought), "counts": list(brought.values())}
    )


def privacy_update(session: Session, *, since: int | None = None) -> PrivacyUpdate:
    """The changes after cursor `since`, or (no cursor, or one this store never gave)
    the whole state: every tombstone and every email HMAC held, with the cursor."""
    latest = session.scalar(select(PrivacySequence.last).where(PrivacySequence.id == 1)) or 0
    if since is None or since > latest:
        # The cursor is read first: a change committed meanwhile is in the lists below
        # and comes again after the cursor, which kiosks apply harmlessly twice.
        erased = list(session.scalars(select(Erasure.signature_id).order_by(Erasure.signature_id)))
        hmacs = list(
            session.scalars(
                select(StoredSignature.email_hmac)
                .where(StoredSignature.email_hmac.is_not(None))
                .distinct()
                .order_by(StoredSignature.email_hmac)
            )
        )
        return PrivacyUpdate.model_validate(
            {"erased": erased, "email_hmacs": hmacs, "cursor": latest, "full": True}
        )
    rows = session.execute(
        select(PrivacyChange.seq, PrivacyChange.kind, PrivacyChange.value)
        .where(PrivacyChange.seq > since)
        .order_by(PrivacyChange.seq)
        .limit(MAX_PRIVACY_CHANGES)
    ).all()
    erased_ids: list[str] = []
    last_word: dict[str, str] = {}  # per HMAC, its latest change in this page
    for _seq, kind, value in rows:
        if kind == "erased":
            erased_ids.append(value)
        else:
            last_word[value] = kind
    return PrivacyUpdate.model_validate(
        {
            "erased": erased_ids,
            "email_hmacs": sorted(h for h, kind in last_word.items() if kind == "email"),
            "forgotten_email_hmacs": sorted(
                h for h, kind in last_word.items() if kind == "unemail"
            ),
            "cursor": rows[-1].seq if rows else since,
            "full": False,
            "more": len(rows) == MAX_PRIVACY_CHANGES,
        }
    )


def apply_retention(session: Session, *, days: int, now: datetime | None = None) -> int:
    """Drop the sealed personal data of records received more than `days` ago; counts stay."""
    cutoff = (now or utc_now()) - timedelta(days=days)
    result = session.execute(
        update(StoredSignature)
        .where(StoredSignature.received_at_utc < cutoff, StoredSignature.sealed.is_not(None))
        .values(sealed=None)
    )
    assert isinstance(result, CursorResult)  # an UPDATE's result counts its rows
    return result.rowcount or 0


# --- public pages: withdrawal by the signer, the public counter ---------------


def code_sha256(code: str) -> str:
    """What the store keeps of a withdrawn code: its SHA-256, never the code itself."""
    return hashlib.sha256(f"klimatavtal-withdrawn:{code}".encode()).hexdigest()


def withdraw(session: Session, *, code: str) -> int:
    """The signer's own withdrawal: erase now (tombstones, kiosks follow), remember the
    code's hash for records still on their way, audit it; returns records removed.
    `code` is already normalised (withdrawal.normalise_code)."""
    digest = code_sha256(code)
    now = utc_now()
    removed = len(erase(session, withdrawal_code=code))
    session.execute(
        _insert(session, WithdrawnCode.__table__).on_conflict_do_nothing(),
        [{"code_sha256": digest, "withdrawn_at_utc": now}],
    )
    session.add(WithdrawalAudit(at_utc=now, code_sha256=digest, records_erased=removed))
    session.flush()
    return removed


def withdrawn_before_arrival(session: Session, records: list[SignatureRecord]) -> set[str]:
    """UUIDs of incoming records whose code was withdrawn before they arrived; each gets
    a tombstone, so the kiosk is told `erased` and deletes its copy."""
    by_hash = {code_sha256(r.withdrawal_code): str(r.id) for r in records}
    if not by_hash:
        return set()
    hits = session.scalars(
        select(WithdrawnCode.code_sha256).where(WithdrawnCode.code_sha256.in_(list(by_hash)))
    )
    ids = {by_hash[digest] for digest in hits}
    if ids:
        session.execute(
            _insert(session, Erasure.__table__).on_conflict_do_nothing(),
            [{"signature_id": key, "erased_at_utc": utc_now()} for key in sorted(ids)],
        )
    return ids


# Kiosk signers in one scan: each email HMAC's group counts once, the group without
# an email (NULL) counts each of its records. It was two scans, one of them a sort
# of every HMAC for count(DISTINCT).
_UNIQUE_SIGNERS = text("""
SELECT coalesce(sum(CASE WHEN email_hmac IS NULL THEN n ELSE 1 END), 0)
FROM (SELECT email_hmac, count(*) AS n FROM signatures GROUP BY email_hmac) AS per_email
""")
# On PostgreSQL the public figures' two aggregates from one scan of the signatures
# (GROUPING SETS: per event and per email HMAC at once): every kiosk asks /stats at
# the end of its pass, and each scan reads every stored row with its sealed blob.
# Every row carries the unique count; a store with signatures has a row per event
# that holds some (event_id is never NULL).
_PUBLIC_COUNTS_POSTGRESQL = text("""
WITH grouped AS MATERIALIZED (
    SELECT event_id, email_hmac, count(*) AS n, grouping(event_id) AS by_email
    FROM signatures GROUP BY GROUPING SETS ((event_id), (email_hmac))
)
SELECT e.id, e.name, e.place, e.date, grouped.n, (
    SELECT coalesce(sum(CASE WHEN g.email_hmac IS NULL THEN g.n ELSE 1 END), 0)
    FROM grouped AS g WHERE g.by_email = 1
) AS unique_signers
FROM grouped JOIN events AS e ON e.id = grouped.event_id
WHERE grouped.by_email = 0
ORDER BY e.date, e.name
""")


def unique_signers(session: Session) -> int:
    """Kiosk signers, a repeat signer (same email HMAC) once; no email: each record once."""
    return int(session.scalar(_UNIQUE_SIGNERS) or 0)


def public_stats(session: Session, *, goal: int | None = None) -> Stats:
    """`stats` with the public counter's figures: which count is which."""
    if session.get_bind().dialect.name == "postgresql":
        per_event = list(session.execute(_PUBLIC_COUNTS_POSTGRESQL).all())
        base = _stats(session, per_event)
        unique = int(per_event[0].unique_signers) if per_event else 0
    else:
        base = stats(session)
        unique = unique_signers(session)
    tallied = sum(base.sources.values())
    return base.model_copy(
        update={
            "unique_signers": unique,
            "tallied": tallied,
            "counter": unique + tallied,
            "goal": goal,
        }
    )
