"""Fixtures for the public pages: a real central store on 127.0.0.1 (SQLite file and,
when configured, PostgreSQL), a kiosk device uploading real wire records, and
Debian's chromium driven by Playwright."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from sync.server.app import create_app
from sync.server.models import StoredSignature, WithdrawalAudit
from sync.server.settings import Settings
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import LiveStore, ServerThread
from tests.sync.records import event_json, record_json

fresh_postgres_url = sync_fixtures.fresh_postgres_url
store_url = sync_fixtures.store_url
GOAL = 1000


@dataclass
class PublicStore(LiveStore):
    app: FastAPI
    token: str = ""

    def upload(self, *records: dict, event: dict | None = None) -> dict:
        """Upload records as a kiosk would; returns the store's answer."""
        if event is None:
            event = event_json(records[0]["event_id"] if records else None)
        batch = {
            "protocol": 1,
            "kiosk_uuid": "5c0c7d52-6d8d-4a57-9b0a-6f1c1d7d7a11",
            "events": [event],
            "records": list(records),
        }
        with self.client(self.token) as http:
            response = http.post("/api/v1/signatures", json=batch)
        assert response.status_code == 200, response.text
        return response.json()

    def held(self) -> int:
        with self.central.session() as session:
            return session.scalar(select(func.count()).select_from(StoredSignature)) or 0

    def audited(self) -> list[WithdrawalAudit]:
        with self.central.session() as session:
            return list(session.scalars(select(WithdrawalAudit)))


@pytest.fixture
def public_store(store_url: str) -> Iterator[PublicStore]:
    app = create_app(Settings(database_url=store_url, goal=GOAL))
    with ServerThread(app) as url:
        live = PublicStore(url=url, database_url=store_url, central=app.state.store, app=app)
        live.token = live.add_device("stall-kiosk")
        yield live


@pytest.fixture
def sqlite_public_store(tmp_path: Path) -> Iterator[PublicStore]:
    url = f"sqlite:///{tmp_path / 'central-store.sqlite3'}"
    app = create_app(Settings(database_url=url, goal=GOAL))
    with ServerThread(app) as base:
        live = PublicStore(url=base, database_url=url, central=app.state.store, app=app)
        live.token = live.add_device("stall-kiosk")
        yield live


def a_record(event_id: str | None = None, **changes: object) -> dict:
    return record_json(event_id or event_json()["id"], **changes)


class Visitor:
    """A browser-like visitor without a browser: keeps the form cookie, reads the token."""

    def __init__(self, base_url: str):
        self.http = httpx.Client(base_url=base_url, timeout=30)

    def open(self, path: str = "/aterkalla", **params: str) -> httpx.Response:
        return self.http.get(path, params=params, headers={"Sec-Fetch-Site": "none"})

    def post(self, form: dict[str, str], **headers: str) -> httpx.Response:
        headers = {"Sec-Fetch-Site": "same-origin", **headers}
        return self.http.post("/aterkalla", data=form, headers=headers)

    def token(self) -> str:
        page = self.open()
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert found, page.text
        return found.group(1)

    def withdraw(self, code: str, lang: str = "sv") -> httpx.Response:
        token = self.token()
        asked = self.post({"kod": code, "lang": lang, "csrf_token": token, "step": "check"})
        assert asked.status_code == 200, asked.text
        return self.post({"kod": code, "lang": lang, "csrf_token": token, "step": "confirm"})

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def visitor(public_store: PublicStore) -> Iterator[Visitor]:
    person = Visitor(public_store.url)
    yield person
    person.close()
