"""Backups of the central store: `backup` while it serves, `restore` into a new store, and
every table and /api/v1/stats compared between the two."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from sync.server import repository
from sync.server.app import create_app
from sync.server.cli import main as store_main
from sync.server.console import accounts
from sync.server.settings import Settings
from tests.sync.conftest import LiveStore, ServerThread
from tests.sync.records import event_json, record_json


def sqlite_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def every_table(path: Path) -> dict[str, list[tuple]]:
    """Each table's rows, in a stable order: what a restore must give back exactly."""
    with closing(sqlite3.connect(path)) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }


def filled(live: LiveStore) -> None:
    """Uploads, a conflict, a withdrawal, a tally and an organiser: every kind of row."""
    token = live.add_device("laptop-1")
    event = event_json()
    records = [record_json(event["id"], name=f"Signer {i}") for i in range(4)]
    with live.client(token) as client:
        body = {"kiosk_uuid": "0b5f6e2a-6d1c-4a8e-9f3b-2c7d8e9f0a1b", "events": [event]}
        assert (
            client.post("/api/v1/signatures", json={**body, "records": records}).status_code == 200
        )
        changed = {**records[0], "postcode_area": "254"}
        assert (
            client.post("/api/v1/signatures", json={**body, "records": [changed]}).status_code
            == 200
        )
    with live.central.session() as session:
        repository.erase(session, withdrawal_code=records[1]["withdrawal_code"])
        repository.add_tally(session, source="paper", count=40, note="Stortorget")
        accounts.add_user(
            session,
            name="kim",
            role="admin",
            password="a long passphrase",
            now=datetime(2026, 6, 1),
        )
        session.commit()


def stats(base_url: str) -> dict:
    response = httpx.get(f"{base_url}/api/v1/stats", timeout=30)
    assert response.status_code == 200
    return response.json()


def test_a_backup_taken_while_serving_restores_to_the_same_store(
    sqlite_live_store, tmp_path, capsys
):
    filled(sqlite_live_store)
    backup = tmp_path / "backups" / "store-2026-06-13.sqlite3"
    backup.parent.mkdir()
    restored_url = f"sqlite:///{tmp_path / 'restored' / 'central-store.sqlite3'}"

    assert (
        store_main(
            ["backup", "--out", str(backup), "--database-url", sqlite_live_store.database_url]
        )
        == 0
    )
    assert "checked" in capsys.readouterr().out
    assert store_main(["restore", str(backup), "--database-url", restored_url]) == 0

    original = every_table(sqlite_file(sqlite_live_store.database_url))
    copy = every_table(sqlite_file(restored_url))
    assert copy == original
    assert len(original["signatures"]) == 3 and len(original["conflicts"]) == 1
    assert len(original["erasures"]) == 1 and len(original["console_users"]) == 1
    app = create_app(Settings(database_url=restored_url))
    with ServerThread(app) as restored_base:
        restored_stats = stats(restored_base)
    assert restored_stats == stats(sqlite_live_store.url)
    assert restored_stats["total"] == 43


def test_restore_leaves_a_store_with_data_alone_unless_forced(sqlite_live_store, tmp_path, capsys):
    filled(sqlite_live_store)
    backup = tmp_path / "backup.sqlite3"
    assert (
        store_main(
            ["backup", "--out", str(backup), "--database-url", sqlite_live_store.database_url]
        )
        == 0
    )
    other = tmp_path / "other.sqlite3"
    other_url = f"sqlite:///{other}"
    from sync.server.db import open_central_store

    central = open_central_store(other_url)
    with central.session() as session:
        repository.add_tally(session, source="web", count=7)
        session.commit()
    central.close()
    before = every_table(other)
    capsys.readouterr()

    assert store_main(["restore", str(backup), "--database-url", other_url]) == 2
    assert "already holds 1 row(s); nothing restored" in capsys.readouterr().err
    assert every_table(other) == before

    assert store_main(["restore", str(backup), "--database-url", other_url, "--force"]) == 0
    assert every_table(other) == every_table(sqlite_file(sqlite_live_store.database_url))


def test_a_damaged_backup_is_refused_and_nothing_is_written(sqlite_live_store, tmp_path, capsys):
    filled(sqlite_live_store)
    backup = tmp_path / "backup.sqlite3"
    assert (
        store_main(
            ["backup", "--out", str(backup), "--database-url", sqlite_live_store.database_url]
        )
        == 0
    )
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 3])
    target = tmp_path / "restored.sqlite3"
    capsys.readouterr()

    assert store_main(["restore", str(backup), "--database-url", f"sqlite:///{target}"]) == 2

    assert "not a usable backup" in capsys.readouterr().err
    assert not target.exists()


def test_backup_never_overwrites_a_file(sqlite_live_store, tmp_path, capsys):
    out = tmp_path / "backup.sqlite3"
    out.write_text("last week's backup")
    assert (
        store_main(["backup", "--out", str(out), "--database-url", sqlite_live_store.database_url])
        == 2
    )
    assert "exists already" in capsys.readouterr().err
    assert out.read_text() == "last week's backup"


def test_backup_of_a_missing_store_creates_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'typo.sqlite3'}"
    assert store_main(["backup", "--out", str(tmp_path / "b.sqlite3"), "--database-url", url]) == 2
    assert "There is no central store" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_postgresql_is_pointed_at_pg_dump_and_pg_restore(command, tmp_path, capsys):
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/campaign"
    args = ["--out", str(tmp_path / "b")] if command == "backup" else [str(tmp_path / "b")]
    assert store_main([command, *args, "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert (
        "pg_dump --format=custom --file=store.dump 'postgresql://postgres@127.0.0.1:5432/campaign'"
        in err
    )
    assert "pg_restore --clean --if-exists --no-owner" in err
