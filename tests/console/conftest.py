"""A real store with the console on 127.0.0.1, and Debian's Chromium driven by Playwright.

The browser is the system one (/usr/bin/chromium); nothing is downloaded.
The console's clock is fake, so lockout and idle tests move time instead of
waiting for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from sync.server.app import create_app
from sync.server.console import accounts
from sync.server.console.config import ConsoleConfig
from sync.server.db import CentralStore
from sync.server.settings import Settings
from tests.sync.conftest import ServerThread

PASSWORD = "correct horse battery"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 6, 13, 10, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Console:
    url: str
    database_url: str
    central: CentralStore
    clock: FakeClock
    app: FastAPI

    def add_user(self, name: str, role: str, password: str = PASSWORD) -> None:
        with self.central.session() as session:
            accounts.add_user(session, name=name, role=role, password=password, now=self.clock())
            session.commit()


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    with running_console(tmp_path) as found:
        yield found


@contextmanager
def running_console(tmp_path: Path, **settings: object) -> Iterator[Console]:
    """A store with the console on 127.0.0.1, its Settings given `settings`."""
    database_url = f"sqlite:///{tmp_path / 'central-store.sqlite3'}"
    app = create_app(Settings(database_url=database_url, **settings))  # type: ignore[arg-type]
    clock = FakeClock()
    # Refreshing is tested on its own; elsewhere it would only add requests.
    app.state.console_config = ConsoleConfig(clock=clock, refresh_seconds=3600)
    server = ServerThread(app)
    # As `serve` should run it: X-Forwarded-* is the console's decision (behind_proxy),
    # not uvicorn's (which trusts them from 127.0.0.1 by default).
    server.server.config.proxy_headers = False
    with server as url:
        yield Console(url, database_url, app.state.store, clock, app)


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def log_in(page, console: Console, name: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{console.url}/console/login")
    page.get_by_label("Användarnamn").fill(name)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def http_login(console: Console, name: str, password: str = PASSWORD) -> httpx.Client:
    """A logged-in client without a browser (for what only the server decides)."""
    client = httpx.Client(base_url=console.url)
    form = client.get("/console/login").text
    answer = client.post(
        "/console/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(form)},
    )
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "the page has no form token"
    return found.group(1)
