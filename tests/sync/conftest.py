"""Fixtures for sync: a real central store on 127.0.0.1, on a SQLite file and,
when KLIMATAVTAL_TEST_DATABASE_URL is set, on PostgreSQL in a fresh schema."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kiosk.store import Store
from sync.server.app import create_app
from sync.server.db import CentralStore
from sync.server.devices import add_device
from sync.server.settings import Settings

PG_ENV = "KLIMATAVTAL_TEST_DATABASE_URL"


class ServerThread:
    """uvicorn serving an app from a thread, on a free port of 127.0.0.1."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            threading.Event().wait(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def postgres_url_or_skip() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    return url


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """A URL whose connections use a new, empty schema, dropped afterwards."""
    base = postgres_url_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The central store's database URL: every server test runs on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'central-store.sqlite3'}"
    return request.getfixturevalue("fresh_postgres_url")


@dataclass
class LiveStore:
    url: str
    database_url: str
    central: CentralStore

    def add_device(self, name: str = "laptop-1") -> str:
        with self.central.session() as session:
            _device, token = add_device(session, name=name)
            session.commit()
        return token

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@pytest.fixture
def live_store(store_url: str) -> Iterator[LiveStore]:
    app = create_app(Settings(database_url=store_url))
    with ServerThread(app) as url:
        yield LiveStore(url=url, database_url=store_url, central=app.state.store)


@pytest.fixture
def sqlite_live_store(tmp_path: Path) -> Iterator[LiveStore]:
    url = f"sqlite:///{tmp_path / 'central-store.sqlite3'}"
    app = create_app(Settings(database_url=url))
    with ServerThread(app) as base:
        yield LiveStore(url=base, database_url=url, central=app.state.store)


def enrolled(store: Store, live: LiveStore, name: str = "laptop-1") -> str:
    """Enrol a kiosk store with a new device of the live store; returns the token."""
    from kiosk.privacy.local import kiosk_outbox
    from sync.enrolment import enroll

    token = live.add_device(name)
    enroll(kiosk_outbox(store), server_url=live.url, token=token)
    return token
