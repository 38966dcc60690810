"""The campaign's one goal (console, else `serve --goal`) and the console's settings in
the store's Settings and `serve`: X-Forwarded-* believed only behind a proxy."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import uvicorn

from sync.server.app import create_app
from sync.server.commands.serve import server_config
from sync.server.console.audit import entries
from sync.server.console.config import ConsoleConfig
from sync.server.settings import Settings
from tests.console.conftest import PASSWORD, FakeClock, csrf_of, http_login, running_console


def _counter_text(url: str) -> str:
    with httpx.Client(base_url=url) as client:
        return client.get("/widget/counter.svg", params={"lang": "en"}).text


def _stats_goal(url: str) -> int | None:
    with httpx.Client(base_url=url) as client:
        return client.get("/api/v1/stats").json()["goal"]


def test_the_counter_shows_the_consoles_goal_and_serve_goal_until_one_is_set(tmp_path):
    with running_console(tmp_path, goal=500) as console:
        console.add_user("olle", "organiser")
        client = http_login(console, "olle")
        overview = client.get("/console/").text
        assert 'value="500"' in overview  # the console shows the same default goal
        assert _stats_goal(console.url) == 500 and "of the goal of 500" in _counter_text(
            console.url
        )

        console.app.state.public.cache.seconds = 0  # no waiting out the 30 s cache
        answer = client.post(
            "/console/goal", data={"goal": "2000", "csrf_token": csrf_of(overview)}
        )
        assert answer.status_code == 303
        assert _stats_goal(console.url) == 2000
        assert "of the goal of 2,000" in _counter_text(console.url)
        assert 'value="2000"' in client.get("/console/").text

        # Cleared in the console: back to `serve --goal`.
        overview = client.get("/console/").text
        client.post("/console/goal", data={"goal": "", "csrf_token": csrf_of(overview)})
        assert _stats_goal(console.url) == 500
        client.close()


def _serve(settings: Settings, clock: FakeClock):  # type: ignore[no-untyped-def]
    app = create_app(settings)
    app.state.console_config = ConsoleConfig(clock=clock, refresh_seconds=3600)
    server = uvicorn.Server(server_config(app, settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the store did not start"
        threading.Event().wait(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return app, server, thread, f"http://127.0.0.1:{port}"


def _log_in_claiming(url: str, headers: dict[str, str]) -> str:
    with httpx.Client(base_url=url) as client:
        token = csrf_of(client.get("/console/login").text)
        answer = client.post(
            "/console/login",
            data={"name": "alice", "password": PASSWORD, "csrf_token": token},
            headers=headers,
        )
        assert answer.status_code == 303
        return next(c for c in answer.headers.get_list("set-cookie") if "console_session=" in c)


def test_serve_believes_forwarded_headers_only_behind_a_proxy(tmp_path: Path):
    claims = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    for behind_proxy in (False, True):
        database_url = f"sqlite:///{tmp_path / f'store-{behind_proxy}.sqlite3'}"
        settings = Settings(database_url=database_url, port=0, behind_proxy=behind_proxy)
        app, server, thread, url = _serve(settings, FakeClock())
        try:
            with app.state.store.session() as session:
                from sync.server.console import accounts

                accounts.add_user(
                    session, name="alice", role="viewer", password=PASSWORD, now=FakeClock()()
                )
                session.commit()
            cookie = _log_in_claiming(url, claims)
            with app.state.store.session() as session:
                logins = [e.address for e in entries(session) if e.action == "login"]
        finally:
            server.should_exit = True
            thread.join(timeout=10)
        if behind_proxy:
            assert logins == ["203.0.113.9"] and "; secure" in cookie.lower()
        else:  # a client talking to the store directly claims nothing
            assert logins == ["127.0.0.1"] and "; secure" not in cookie.lower()


def test_the_idle_time_is_a_store_setting(tmp_path):
    with running_console(tmp_path, console_idle_minutes=5) as console:
        console.add_user("alice", "viewer")
        client = http_login(console, "alice")
        console.clock.advance(minutes=4)
        assert client.get("/console/").status_code == 200
        console.clock.advance(minutes=6)
        assert client.get("/console/", follow_redirects=False).headers["location"] == (
            "/console/login"
        )
        client.close()
