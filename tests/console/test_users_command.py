"""`users add/list/passwd/remove`: passwords from stdin's first line, never an argument."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sync.server.console import accounts
from sync.server.db import open_central_store

ROOT = Path(__file__).resolve().parents[2]


def _users(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", "users", *args, "--database-url", database_url],
        cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_add_list_passwd_remove(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    added = _users(url, "add", "anna", "--role", "admin", stdin="first password\n")
    assert added.returncode == 0, added.stderr
    assert "anna" in _users(url, "list").stdout and "admin" in _users(url, "list").stdout
    short = _users(url, "add", "bo", "--role", "viewer", stdin="short\n")
    assert short.returncode != 0 and "at least 10 characters" in short.stderr
    twice = _users(url, "add", "anna", "--role", "viewer", stdin="another password\n")
    assert twice.returncode != 0 and "already exists" in twice.stderr
    assert _users(url, "passwd", "anna", stdin="second password\n").returncode == 0
    store = open_central_store(url)
    try:
        with store.session() as session:
            user = accounts.user_named(session, "anna")
            assert user is not None
            assert accounts.password_matches(user.password_hash, "second password")
            assert not accounts.password_matches(user.password_hash, "first password")
            assert user.password_hash.startswith("$argon2id$")
    finally:
        store.close()
    assert _users(url, "remove", "anna").returncode == 0
    assert "No accounts yet" in _users(url, "list").stdout
