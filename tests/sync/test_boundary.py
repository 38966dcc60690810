"""The kiosk-store boundary under version skew and things that are not our store
(issue 10, items 1 and 3): nothing stranded, nothing refused by a stranger."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fastapi.responses import JSONResponse
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.privacy.local import kiosk_outbox
from kiosk.store.models import Signature, SyncState
from kiosk.store.outbox import SERVER_URL_KEY, read_status
from kiosk.store.repository import set_setting
from sync.client import Uploader
from sync.problems import ProblemKind
from sync.protocol import API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.server.app import create_app
from sync.server.settings import Settings
from tests.conftest import make_pledge, save
from tests.sync.conftest import LiveStore, ServerThread, enrolled


class Stranger:
    """A real HTTP server on 127.0.0.1 that answers every request with one status
    (a web firewall, a proxy, a mistyped address), optionally forwarding GETs."""

    def __init__(self, status: int) -> None:
        code = status

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                body = json.dumps({"detail": "blocked"}).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def point_at(store, url: str) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        set_setting(session, SERVER_URL_KEY, url)
        session.commit()


def count(store, state: str) -> int:  # type: ignore[no-untyped-def]
    with store.session() as session:
        query = select(func.count()).select_from(Signature)
        return session.scalar(query.where(Signature.sync_state == state)) or 0


@pytest.mark.parametrize("status", [422, 413, 404, 400])
def test_a_stranger_answering_an_error_refuses_nothing(
    store, market_day, sqlite_live_store, status
):
    enrolled(store, sqlite_live_store)
    for index in range(6):
        save(store, make_pledge(f"Signer {index}"), now=market_day)
    with Stranger(status) as stranger:
        point_at(store, stranger)
        with Uploader(kiosk_outbox(store)) as uploader:
            outcome = uploader.sync_once()
    assert (outcome.sent, outcome.refused, outcome.pending) == (0, 0, 6)
    assert outcome.error.kind == ProblemKind.REFUSED_REQUEST
    assert "not a central store" in outcome.error.message
    assert count(store, SyncState.REFUSED) == 0

    point_at(store, sqlite_live_store.url)  # back on the real store: everything arrives
    with Uploader(kiosk_outbox(store)) as uploader:
        assert uploader.sync_once().done
    assert count(store, SyncState.SENT) == 6
    with sqlite_live_store.client() as http:
        assert http.get(f"{API_PREFIX}/stats").json()["kiosk_signatures"] == 6


def test_sync_command_retries_refused_and_check_counts_them(
    store, market_day, data_dir, sqlite_live_store, capsys
):
    enrolled(store, sqlite_live_store)
    ids = [save(store, make_pledge(f"Signer {i}"), now=market_day) for i in range(3)]
    with store.session() as session:  # as an older kiosk version left them
        for signature_id in ids[:2]:
            session.get(Signature, signature_id).sync_state = SyncState.REFUSED
        session.commit()
    assert main(["sync", "--data-dir", str(data_dir), "--check"]) == 1
    said = capsys.readouterr().out
    assert "2 signature(s) were refused" in said
    assert "--retry-refused" in said

    assert main(["sync", "--data-dir", str(data_dir), "--retry-refused", "--check"]) == 0
    said = capsys.readouterr().out
    assert "Queued 2 refused signature(s)" in said
    assert read_status(store).refused == 0
    assert count(store, SyncState.SENT) == 3


def test_an_extra_field_in_stats_still_syncs(store, market_day, tmp_path):
    """A newer store adds fields; this kiosk reads what it uses and ignores the rest."""
    url = f"sqlite:///{tmp_path / 'newer.sqlite3'}"
    app = create_app(Settings(database_url=url))

    @app.middleware("http")
    async def newer_stats(request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        if request.url.path != f"{API_PREFIX}/stats":
            return response
        body = json.loads(b"".join([chunk async for chunk in response.body_iterator]))
        body["web_signatures"] = 12
        body["events"] = [{**event, "x": 1} for event in body["events"]]
        return JSONResponse(body, headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)})

    with ServerThread(app) as base:
        assert httpx.get(f"{base}{API_PREFIX}/stats").json()["web_signatures"] == 12
        enrolled(store, LiveStore(url=base, database_url=url, central=app.state.store))
        save(store, now=market_day)
        with Uploader(kiosk_outbox(store)) as uploader:
            outcome = uploader.sync_once()
    assert outcome.done, outcome.error
    assert read_status(store).store_total == 1


@pytest.fixture
def raw_store(tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'raw.sqlite3'}"))
    with ServerThread(app) as base:
        yield base


def test_the_store_names_its_version_and_says_which_end_to_update(raw_store):
    newer = httpx.get(f"{raw_store}{API_PREFIX}/stats", headers={PROTOCOL_HEADER: "99"})
    assert newer.status_code == 400
    assert newer.json()["update"] == "store"
    assert "the store must be updated" in newer.json()["detail"]
    older = httpx.get(f"{raw_store}{API_PREFIX}/stats", headers={PROTOCOL_HEADER: "0"})
    assert older.json()["update"] == "kiosk"
    ours = httpx.get(f"{raw_store}{API_PREFIX}/stats", headers={PROTOCOL_HEADER: "1"})
    assert ours.status_code == 200
    assert ours.headers[PROTOCOL_HEADER] == str(PROTOCOL_VERSION)


def test_a_kiosk_too_old_for_the_store_says_update_the_kiosk(
    store, market_day, sqlite_live_store, monkeypatch
):
    enrolled(store, sqlite_live_store)
    save(store, now=market_day)
    monkeypatch.setattr("sync.server.middleware.OLDEST_PROTOCOL", PROTOCOL_VERSION + 1)
    monkeypatch.setattr("sync.server.middleware.PROTOCOL_VERSION", PROTOCOL_VERSION + 1)
    with Uploader(kiosk_outbox(store)) as uploader:
        outcome = uploader.sync_once()
    assert outcome.error.kind == ProblemKind.UPDATE_KIOSK
    assert "this kiosk's app must be updated" in outcome.error.message
    assert (outcome.pending, count(store, SyncState.REFUSED)) == (1, 0)
    assert read_status(store).last_error.kind == ProblemKind.UPDATE_KIOSK


def test_a_store_older_than_the_kiosk_understands_says_update_the_store(
    store, market_day, sqlite_live_store, monkeypatch
):
    enrolled(store, sqlite_live_store)
    save(store, now=market_day)
    monkeypatch.setattr("sync.problems.OLDEST_PROTOCOL", PROTOCOL_VERSION + 1)
    with Uploader(kiosk_outbox(store)) as uploader:
        outcome = uploader.sync_once()
    assert outcome.error.kind == ProblemKind.UPDATE_STORE
    assert "the central store must be updated" in outcome.error.message
    assert count(store, SyncState.REFUSED) == 0


def test_retry_after_is_honoured(store, market_day, sqlite_live_store):
    """A store that says "busy, come back in 7 s" is not asked again sooner."""
    from sync.client import Backoff, sync_until_done

    enrolled(store, sqlite_live_store)
    save(store, now=market_day)

    class Busy(httpx.BaseTransport):
        def handle_request(self, _request: httpx.Request) -> httpx.Response:
            return httpx.Response(503, headers={"Retry-After": "7", PROTOCOL_HEADER: "1"})

    slept: list[float] = []
    with Uploader(kiosk_outbox(store), transport=Busy()) as uploader:
        outcome = sync_until_done(
            uploader, attempts=3, backoff=Backoff(base=0.01, cap=0.01), sleep=slept.append
        )
    assert outcome.error.kind == ProblemKind.BUSY
    assert slept == [7.0, 7.0]
