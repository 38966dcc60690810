"""A damaged `-wal` is refused before SQLite replays it; a normal crash still opens.

The files are made the way a SIGKILL leaves them: the database and its
log copied while the writing store is still open (so nothing was folded
in), 120 signatures living only in the log.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from kiosk.dbfile import analyse_wal
from kiosk.paths import database_path
from kiosk.store import open_store
from kiosk.store.engine import StoreCorruptError
from kiosk.store.models import Signature
from kiosk.volunteer.settings import KioskSettings, peek_settings, save_settings
from tests.conftest import save
from tests.store.test_engine import snapshot

SIGNED = 120
SIDE_FILES = ("klimatavtal.sqlite3", "klimatavtal.sqlite3-wal", "klimatavtal.sqlite3-shm")


@pytest.fixture(scope="module")
def crashed(tmp_path_factory, market_day_module) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """The three files as a kill after 120 committed signatures leaves them."""
    data_dir = tmp_path_factory.mktemp("crash") / "data"
    store = open_store(data_dir)
    event.listen(
        store.engine, "connect", lambda conn, _: conn.execute("PRAGMA wal_autocheckpoint=0")
    )
    store.engine.dispose()
    for _ in range(SIGNED):
        save(store, now=market_day_module)
    files = {name: (data_dir / name).read_bytes() for name in SIDE_FILES}
    store.close()
    return files


@pytest.fixture(scope="module")
def market_day_module():  # type: ignore[no-untyped-def]
    from datetime import datetime

    from tests.conftest import STOCKHOLM

    return datetime(2026, 6, 13, 11, 15, tzinfo=STOCKHOLM)


def lay_out(data_dir: Path, files: dict[str, bytes]) -> None:
    data_dir.mkdir(parents=True)
    for name, content in files.items():
        (data_dir / name).write_bytes(content)


def count_signatures(data_dir: Path) -> int:
    store = open_store(data_dir)
    try:
        with store.read_session() as session:
            return session.scalar(select(func.count()).select_from(Signature)) or 0
    finally:
        store.close()


def flipped(content: bytes, at: int, length: int = 16) -> bytes:
    damaged = bytes(b ^ 0xFF for b in content[at : at + length])
    return content[:at] + damaged + content[at + length :]


def test_a_crash_left_log_opens_with_every_signature(data_dir, crashed):
    assert analyse_wal(crashed["klimatavtal.sqlite3-wal"]).replayed_commits >= SIGNED
    lay_out(data_dir, crashed)
    assert count_signatures(data_dir) == SIGNED


def test_sixteen_flipped_bytes_mid_log_refuse_to_open_and_keep_every_file(data_dir, crashed):
    wal = crashed["klimatavtal.sqlite3-wal"]
    lay_out(data_dir, {**crashed, "klimatavtal.sqlite3-wal": flipped(wal, len(wal) // 2)})
    before = snapshot(data_dir)

    with pytest.raises(StoreCorruptError, match="damaged") as raised:
        open_store(data_dir)
    assert "has not been changed" in str(raised.value)
    assert snapshot(data_dir) == before  # database, log and -shm byte for byte
    assert peek_settings(database_path(data_dir)) == KioskSettings()
    assert snapshot(data_dir) == before
    with pytest.raises(StoreCorruptError):  # and again at the next start
        open_store(data_dir)


def test_a_torn_last_write_is_a_normal_crash(data_dir, crashed):
    """The last transaction's commit frame half written: it never committed."""
    wal = crashed["klimatavtal.sqlite3-wal"]
    lay_out(data_dir, {**crashed, "klimatavtal.sqlite3-wal": flipped(wal, len(wal) - 100)})
    assert count_signatures(data_dir) == SIGNED - 1


def test_a_log_cut_short_mid_frame_is_a_normal_crash(data_dir, crashed):
    wal = crashed["klimatavtal.sqlite3-wal"]
    lay_out(data_dir, {**crashed, "klimatavtal.sqlite3-wal": wal[:-1000]})
    assert count_signatures(data_dir) == SIGNED - 1


def test_an_empty_log_opens(data_dir, crashed):
    lay_out(data_dir, {**crashed, "klimatavtal.sqlite3-wal": b""})
    assert count_signatures(data_dir) == 0  # the signatures never reached the main file


def test_a_log_without_its_shm_is_read_from_a_copy(data_dir, crashed):
    """Reading settings before start-up creates no -shm beside a crashed file."""
    lay_out(data_dir, {k: v for k, v in crashed.items() if not k.endswith("-shm")})
    before = snapshot(data_dir)
    assert peek_settings(database_path(data_dir)) == KioskSettings()
    assert snapshot(data_dir) == before


def _corrupt(data_dir: Path) -> None:
    path = database_path(data_dir)
    content = path.read_bytes()
    path.write_bytes(flipped(content, len(content) // 2, 4096))


def _newer_version(data_dir: Path) -> None:
    connection = sqlite3.connect(database_path(data_dir))
    connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    connection.commit()
    connection.close()


@pytest.mark.parametrize("damage", [_corrupt, _newer_version], ids=["corrupt", "newer-version"])
def test_reading_settings_at_start_leaves_no_side_file(data_dir, market_day, damage):
    store = open_store(data_dir)
    for _ in range(30):
        save(store, now=market_day)
    with store.session() as session:
        save_settings(session, KioskSettings(idle_seconds=90))
        session.commit()
    store.close()
    damage(data_dir)
    before = snapshot(data_dir)
    assert list(before) == ["klimatavtal.sqlite3"]

    peek_settings(database_path(data_dir))

    assert snapshot(data_dir) == before  # same bytes, no -wal, no -shm
