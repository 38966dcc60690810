"""The command line, run as a volunteer would: `python main.py …` in a subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def query(data_dir: Path, sql: str, *params: object) -> object:
    """Read what the commands left; immutable, so no -wal/-shm files appear."""
    assert not (data_dir / "klimatavtal.sqlite3-wal").exists()  # every command closed cleanly
    connection = sqlite3.connect(f"file:{data_dir / 'klimatavtal.sqlite3'}?immutable=1", uri=True)
    try:
        return connection.execute(sql, params).fetchone()[0]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli") / "demo"
    result = cli("demo", "--data-dir", str(data_dir), "--count", "240")
    assert result.returncode == 0, result.stderr
    assert "Made 240 demo signatures" in result.stdout
    return data_dir


def test_help_lists_the_subcommands():
    result = cli("--help")
    assert result.returncode == 0
    for command in ("run", "demo", "status"):
        assert f"    {command}" in result.stdout


def test_demo_fills_a_new_folder(demo_dir):
    assert query(demo_dir, "SELECT count(*) FROM signatures") == 240
    assert query(demo_dir, "SELECT count(DISTINCT local_date) FROM signatures") > 1
    assert query(demo_dir, "SELECT count(*) FROM events") > 1
    assert query(demo_dir, "SELECT count(*) FROM signatures WHERE sealed IS NULL") == 0
    assert query(demo_dir, "SELECT count(DISTINCT email_hmac) FROM signatures") > 1
    assert query(demo_dir, "PRAGMA integrity_check") == "ok"


def test_demo_refuses_a_folder_that_holds_signatures(demo_dir):
    before = snapshot(demo_dir)
    result = cli("demo", "--data-dir", str(demo_dir), "--count", "10")
    assert result.returncode == 2
    assert "already holds signatures" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(demo_dir) == before


def test_demo_needs_an_explicit_folder(tmp_path):
    result = cli("demo", "--count", "5", env={"KLIMATAVTAL_DATA_DIR": str(tmp_path / "real")})
    assert result.returncode == 2
    assert "demo needs --data-dir" in result.stderr
    assert not (tmp_path / "real").exists()


def test_status_json_matches_the_store(demo_dir):
    result = cli("status", "--data-dir", str(demo_dir), "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert {"total", "today", "pending", "events"} <= set(status)
    assert status["total"] == query(demo_dir, "SELECT count(*) FROM signatures WHERE NOT practice")
    assert status["today"] == query(
        demo_dir,
        "SELECT count(*) FROM signatures WHERE NOT practice AND local_date = ?",
        date.today().isoformat(),
    )
    assert status["today"] > 0  # demo's last event is today
    assert status["pending"] == query(
        demo_dir, "SELECT count(*) FROM signatures WHERE sync_state = 'pending'"
    )
    assert len(status["events"]) == query(demo_dir, "SELECT count(*) FROM events")
    assert sum(event["signatures"] for event in status["events"]) == status["total"]


def test_status_reads_the_folder_from_the_environment(demo_dir):
    result = cli("status", "--json", env={"KLIMATAVTAL_DATA_DIR": str(demo_dir)})
    assert json.loads(result.stdout)["total"] == 240


def test_status_in_plain_words(demo_dir):
    result = cli("status", "--data-dir", str(demo_dir))
    assert result.returncode == 0
    assert "Signatures:       240" in result.stdout
    assert "Stortorget lördagsmarknad" in result.stdout


@pytest.mark.parametrize("command", ["status", "demo"])
def test_a_corrupt_database_stops_with_a_clear_message(tmp_path, command):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    garbage = random.Random(3).randbytes(8000)
    (data_dir / "klimatavtal.sqlite3").write_bytes(b"SQLite format 3\0" + garbage)
    before = snapshot(data_dir)
    result = cli(command, "--data-dir", str(data_dir))
    assert result.returncode == 2
    assert "klimatavtal: The database" in result.stderr
    assert "is damaged" in result.stderr
    assert str(data_dir / "klimatavtal.sqlite3") in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(data_dir) == before


def test_the_store_commands_still_run_from_main_py(tmp_path):
    """Existing organisers keep typing `python main.py devices ...`."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    added = cli("devices", "add", "laptop-1", "--database-url", url)
    assert added.returncode == 0, added.stderr
    listed = cli("devices", "list", "--database-url", url)
    assert "laptop-1" in listed.stdout
    assert "serve" in cli("--help").stdout


def test_klimatavtal_store_runs_the_same_commands(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = [sys.executable, "-c", "import sys; from sync.server.cli import main; sys.exit(main())"]
    run = lambda *args: subprocess.run(  # noqa: E731
        [*store, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert (
        run("tally", "add", "--source", "paper", "--count", "12", "--database-url", url).returncode
        == 0
    )
    listed = run("tally", "list", "--database-url", url)
    assert "Campaign total: 12" in listed.stdout
    for command in ("serve", "devices", "tally", "export", "erase"):
        assert command in run("--help").stdout


def test_serve_refuses_development_keys_in_production(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    result = cli("serve", "--production", "--database-url", url, "--host", "0.0.0.0")
    assert result.returncode == 2
    assert "refusing to run in production" in result.stderr
    assert "no campaign keys" in result.stderr
    assert "plain http" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "store.sqlite3").exists()  # nothing was opened
