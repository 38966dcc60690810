"""The local store on real SQLite files."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from kiosk.content import load_consent
from kiosk.pledge import Pledge
from kiosk.store import open_store, repository
from kiosk.store.models import Signature, SyncState
from kiosk.store.repository import SaveError
from tests.conftest import another_program_writing, make_pledge, save
from tests.sealed import unseal


def test_every_connection_is_crash_safe(store):
    with store.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }


def test_saved_pledge_reads_back_whole(store, market_day):
    pledge = make_pledge("Zoë O'Brien-Åkesson", email="zoe@example.se", postcode="25221")
    signature_id = save(store, pledge, now=market_day)
    with store.session() as session:
        row = session.get(Signature, signature_id)
        assert row is not None
        sealed = unseal(row.sealed)
        assert sealed["name"] == "Zoë O'Brien-Åkesson"
        assert (sealed["email"], sealed["postcode"], row.postcode_area) == (
            "zoe@example.se",
            "252 21",
            "252",
        )
        assert [c.commitment_id for c in row.commitments] == ["bike-short-trips", "less-food-waste"]
        assert row.utc_offset_minutes == 120
        assert row.created_at_utc == market_day.replace(tzinfo=None) - timedelta(hours=2)
        assert row.sync_state == SyncState.PENDING
        assert sealed["strokes"][0][0] == [100, 300]


def test_a_save_stores_its_times_as_sqlalchemy_spells_them(store, market_day):
    """The outbox orders by the text and the app compares it with times SQLAlchemy binds:
    both need the one fixed-width spelling, six digits of fraction even when zero."""
    signature_id = save(store, now=market_day)
    with contextlib.closing(sqlite3.connect(store.path)) as db:
        created, consented, day = db.execute(
            "SELECT created_at_utc, consent_given_at_utc, local_date FROM signatures WHERE id = ?",
            (signature_id,),
        ).fetchone()
    assert created == consented == "2026-06-13 09:15:00.000000"
    assert day == "2026-06-13"


def test_counts_exclude_practice(store, market_day):
    save(store, now=market_day)
    save(store, now=market_day, practice=True)
    with store.session() as session:
        assert repository.count_signatures(session) == 1
        assert repository.count_signatures(session, local_date=market_day.date()) == 1
        assert repository.pending_count(session) == 1
        (event,) = repository.counts_per_event(session)
        assert (event.signatures, event.pending) == (1, 1)


def test_reopening_keeps_everything(data_dir, market_day):
    first = open_store(data_dir)
    ids = {save(first, now=market_day) for _ in range(3)}
    first.close()
    again = open_store(data_dir)
    with again.session() as session:
        assert set(session.scalars(select(Signature.id))) == ids
    again.close()
    check = sqlite3.connect(data_dir / "klimatavtal.sqlite3")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


# --- save failures: each fails cleanly, and a retry works once the cause is gone ---


def big_pledge(name: str = "Åsa Öberg") -> Pledge:
    """A long signature: several pages of strokes, so the file must grow."""
    pledge = make_pledge(name)
    stroke = tuple((i % 1000, (i * 7) % 1000) for i in range(4000))
    return Pledge(pledge.commitments, pledge.details, (stroke,), pledge.language)


def assert_whole(store, expected_signatures: int) -> None:  # type: ignore[no-untyped-def]
    """No half-written pledge: every signature has its commitments, nothing orphaned."""
    with store.engine.connect() as connection:
        sql = connection.exec_driver_sql
        assert sql("SELECT count(*) FROM signatures").scalar() == expected_signatures
        assert (
            sql(
                "SELECT count(*) FROM signature_commitments c "
                "LEFT JOIN signatures s ON s.id = c.signature_id WHERE s.id IS NULL"
            ).scalar()
            == 0
        )
        assert (
            sql(
                "SELECT count(*) FROM signatures s WHERE NOT EXISTS "
                "(SELECT 1 FROM signature_commitments c WHERE c.signature_id = s.id)"
            ).scalar()
            == 0
        )
        assert sql("PRAGMA foreign_key_check").all() == []
        assert sql("PRAGMA integrity_check").scalar() == "ok"
        connection.rollback()


def current_event_id(store) -> str:  # type: ignore[no-untyped-def]
    with store.read_session() as session:
        return repository.current_event(session).id


def failing_save(store, pledge: Pledge, now, event_id=None) -> SaveError:  # type: ignore[no-untyped-def]
    """Only the save itself: the event was made by an earlier, successful save."""
    event_id = event_id or current_event_id(store)
    with pytest.raises(SaveError) as raised:
        repository.save_signature(
            store, pledge, event_id=event_id, consent=load_consent("sv"), now=now
        )
    return raised.value


def on_checkout(store, statement: Callable[[], str]) -> None:  # type: ignore[no-untyped-def]
    """Run a PRAGMA on every connection the store takes from its pool."""

    def apply(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(statement())

    event.listen(store.engine, "checkout", apply)


def test_disk_full_injected_then_retry(store, market_day):
    save(store, now=market_day)
    with store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        connection.rollback()
    limit = {"pages": pages}
    on_checkout(store, lambda: f"PRAGMA max_page_count={limit['pages']}")

    error = failing_save(store, big_pledge(), market_day)
    assert error.kind == "disk_full"
    assert_whole(store, 1)

    limit["pages"] = 1_000_000  # space freed
    signature_id = save(store, big_pledge(), now=market_day)
    assert_whole(store, 2)
    with store.session() as session:
        assert len(unseal(session.get(Signature, signature_id).sealed)["strokes"][0]) == 4000


@contextlib.contextmanager
def mounted(args: list[str], target: Path) -> Iterator[None]:
    """mount(8) as root, or skip: some containers may not mount."""
    if os.geteuid() != 0:
        pytest.skip("mounting a filesystem needs root")
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"mount is not permitted here: {result.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(target)], check=True)


def test_disk_full_on_a_tiny_filesystem_then_retry(tmp_path, market_day):
    data_dir = tmp_path / "stick"
    with mounted(["-t", "tmpfs", "-o", "size=2m", "tmpfs"], data_dir):
        store = open_store(data_dir)
        try:
            save(store, now=market_day)
            filler = data_dir / "filler"
            with filler.open("wb") as handle, contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            error = failing_save(store, big_pledge(), market_day)
            assert error.kind == "disk_full"
            assert_whole(store, 1)

            filler.unlink()
            save(store, big_pledge(), now=market_day)
            assert_whole(store, 2)
        finally:
            store.close()


def test_locked_database_then_retry(data_dir, market_day):
    store = open_store(data_dir, busy_timeout_ms=100)
    try:
        save(store, now=market_day)
        with another_program_writing(data_dir):
            error = failing_save(store, make_pledge(), market_day)
            assert error.kind == "locked"
        assert_whole(store, 1)
        save(store, now=market_day)
        assert_whole(store, 2)
    finally:
        store.close()


def test_a_short_lock_is_waited_out(data_dir, market_day):
    """Within the busy timeout, a save waits for the other writer instead of failing."""
    store = open_store(data_dir, busy_timeout_ms=5000)
    try:
        other = sqlite3.connect(
            data_dir / "klimatavtal.sqlite3", isolation_level=None, check_same_thread=False
        )
        other.execute("BEGIN EXCLUSIVE")
        release = threading.Timer(0.2, other.execute, ("COMMIT",))
        release.start()
        save(store, now=market_day)
        release.join()
        other.close()
        assert_whole(store, 1)
    finally:
        store.close()


def test_read_only_injected_then_retry(store, market_day):
    read_only = {"on": False}
    on_checkout(store, lambda: f"PRAGMA query_only={int(read_only['on'])}")
    save(store, now=market_day)
    read_only["on"] = True
    error = failing_save(store, make_pledge(), market_day)
    assert error.kind == "read_only"
    read_only["on"] = False
    assert_whole(store, 1)
    save(store, now=market_day)
    assert_whole(store, 2)


def test_read_only_folder_then_retry(data_dir, market_day):
    """The data folder becomes read-only (a write-protected or remounted stick).

    Linux checks permissions when a file is opened, so connections opened
    before keep writing; the test drops them, as a restart of the kiosk
    would, and the next save opens the file anew. As root (CI), chmod does
    not stop writes, so the folder is bind-mounted read-only over itself.
    """
    store = open_store(data_dir)
    try:
        save(store, now=market_day)
        event_id = current_event_id(store)
        store.engine.dispose()
        if os.geteuid() == 0:
            guard = contextlib.ExitStack()
            guard.enter_context(mounted(["--bind", str(data_dir)], data_dir))
            subprocess.run(["mount", "-o", "remount,ro,bind", str(data_dir)], check=True)
        else:
            files = [data_dir, *data_dir.iterdir()]
            for path in files:
                path.chmod(0o555 if path.is_dir() else 0o444)
            guard = contextlib.ExitStack()
            guard.callback(lambda: [path.chmod(0o755) for path in files])
        with guard:
            error = failing_save(store, make_pledge(), market_day, event_id)
            assert error.kind == "read_only"
            store.engine.dispose()
        save(store, now=market_day)
        assert_whole(store, 2)
    finally:
        store.close()


def test_counting_works_while_another_program_holds_the_write_lock(data_dir, market_day):
    """The attract screen's count and `status` read beside a writer (WAL)."""
    store = open_store(data_dir, busy_timeout_ms=100)
    try:
        save(store, now=market_day)
        with another_program_writing(data_dir), store.read_session() as session:
            assert repository.attract_count(session) == 1
            assert repository.pending_count(session) == 1
    finally:
        store.close()
