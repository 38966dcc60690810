"""The central store over real HTTP, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import base64
import copy
import json
import threading

import pytest
from sqlalchemy import event as sql_event
from sqlalchemy import func, select

from sync.protocol import MAX_BATCH_RECORDS, ids_digest
from sync.server.models import Conflict, Device, StoredSignature
from tests.sealed import unseal
from tests.sync.records import batch_json, event_json, record_json, sealed_json

UPLOAD = "/api/v1/signatures"


def stored_count(live) -> int:  # type: ignore[no-untyped-def]
    with live.central.session() as session:
        return session.scalar(select(func.count()).select_from(StoredSignature))


def test_batch_is_accepted_once_and_acknowledged_on_replay(live_store):
    token = live_store.add_device()
    batch = batch_json(5)
    with live_store.client(token) as http:
        first = http.post(UPLOAD, json=batch)
        replay = http.post(UPLOAD, json=batch)
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["accepted"] * 5
    assert first.json()["total"] == 5
    assert replay.status_code == 200
    assert [(r["status"], r["code"]) for r in replay.json()["results"]] == [("duplicate", 200)] * 5
    assert stored_count(live_store) == 5


def test_same_uuid_other_content_is_refused_and_kept_aside(live_store):
    token = live_store.add_device()
    batch = batch_json(2)
    changed = copy.deepcopy(batch)
    changed["records"][1]["sealed"] = sealed_json("Someone Else")
    with live_store.client(token) as http:
        http.post(UPLOAD, json=batch)
        answer = http.post(UPLOAD, json=changed).json()
        again = http.post(UPLOAD, json=changed).json()
    assert [r["status"] for r in answer["results"]] == ["duplicate", "refused"]
    refusal = answer["results"][1]
    assert refusal["code"] == 409 and "conflict" in refusal["reason"]
    assert again["refused"] == 1
    with live_store.central.session() as session:
        conflicts = session.scalars(select(Conflict)).all()
        kept = session.get(StoredSignature, batch["records"][1]["id"])
    assert len(conflicts) == 1  # a repeated conflict is kept once
    payload = json.loads(conflicts[0].payload)
    assert unseal(base64.b64decode(payload["sealed"]))["name"] == "Someone Else"
    assert unseal(kept.sealed)["name"] == "Signer 1"  # the first record stays as it was
    assert stored_count(live_store) == 2


def test_same_record_spelled_differently_is_a_duplicate(live_store):
    token = live_store.add_device()
    batch = batch_json(1)
    respelled = copy.deepcopy(batch)
    record = respelled["records"][0]
    record["created_at_utc"] = "2026-06-13T11:15:00+02:00"
    record["id"] = record["id"].upper()
    with live_store.client(token) as http:
        http.post(UPLOAD, json=batch)
        answer = http.post(UPLOAD, json=respelled).json()
    assert answer["results"][0]["status"] == "duplicate"


def test_stats_are_public_per_event_and_include_tallies(live_store, capsys):
    from kiosk.cli import main

    token = live_store.add_device()
    first, second = event_json(name="Råå hamnmarknad"), event_json(name="Knutpunkten")
    with live_store.client(token) as http:
        http.post(UPLOAD, json=batch_json(3, event=first))
        http.post(UPLOAD, json=batch_json(2, event=second))
    assert (
        main(
            [
                "tally",
                "add",
                "--source",
                "web",
                "--count",
                "40",
                "--database-url",
                live_store.database_url,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "tally",
                "add",
                "--source",
                "paper",
                "--count",
                "7",
                "--database-url",
                live_store.database_url,
            ]
        )
        == 0
    )
    assert "Campaign total: 52" in capsys.readouterr().out
    with live_store.client() as http:
        stats = http.get("/api/v1/stats").json()
    assert stats["total"] == 52
    assert stats["kiosk_signatures"] == 5
    assert stats["sources"] == {"paper": 7, "web": 40}
    assert {e["name"]: e["count"] for e in stats["events"]} == {
        "Råå hamnmarknad": 3,
        "Knutpunkten": 2,
    }


def test_website_may_read_stats_but_not_upload_from_a_browser(live_store):
    origin = {"Origin": "https://klimatavtalet.example"}
    with live_store.client() as http:
        stats = http.get("/api/v1/stats", headers=origin)
        preflight = http.options(
            UPLOAD, headers={**origin, "Access-Control-Request-Method": "POST"}
        )
    assert stats.headers["access-control-allow-origin"] == "*"
    assert preflight.status_code == 400  # a browser will not send the POST


def test_tally_cannot_go_below_zero(live_store, capsys):
    from kiosk.cli import main

    args = ["tally", "add", "--source", "web", "--count", "-3"]
    assert main([*args, "--database-url", live_store.database_url]) == 2
    assert "below zero" in capsys.readouterr().err


def test_reconcile_says_whether_the_store_holds_exactly_these(live_store):
    token = live_store.add_device()
    batch = batch_json(4)
    event_id = batch["events"][0]["id"]
    ids = [r["id"] for r in batch["records"]]
    extra = record_json(event_id)["id"]
    with live_store.client(token) as http:
        http.post(UPLOAD, json=batch)
        answer = http.post(
            "/api/v1/reconcile",
            json={
                "events": [
                    {"event_id": event_id, "count": 4, "digest": ids_digest(ids)},
                    {"event_id": event_id, "count": 5, "digest": ids_digest([*ids, extra])},
                ]
            },
        ).json()
        missing = http.post("/api/v1/signatures/missing", json={"ids": [*ids, extra]}).json()
    assert [(e["held"], e["matches"]) for e in answer["events"]] == [(4, True), (4, False)]
    assert missing == {"missing": [extra]}


BAD_BODIES = {
    "malformed JSON": b'{"protocol": 1, "records": [',
    "not an object": b"[1, 2, 3]",
    "empty": b"",
}


def _bad_batches() -> dict[str, dict]:
    base = batch_json(2)

    def changed(**record_changes: object) -> dict:
        bad = copy.deepcopy(base)
        bad["records"][0].update(record_changes)
        return bad

    missing_field = copy.deepcopy(base)
    del missing_field["records"][0]["sealed"]
    unknown_event = copy.deepcopy(base)
    unknown_event["events"] = []
    twice = copy.deepcopy(base)
    twice["records"][1]["id"] = twice["records"][0]["id"]
    oversize = batch_json(MAX_BATCH_RECORDS + 1)
    return {
        "missing field": missing_field,
        "wrong type: bool as string": changed(community_opt_in="yes"),
        "wrong type: offset as string": changed(utc_offset_minutes="120"),
        "wrong type: sealed as number": changed(sealed=42),
        "not a UUID": changed(id="not-a-uuid"),
        "oversize sealed": changed(sealed="QUJD" * 40_000),
        "sealed not base64": changed(sealed="scribble!" * 10),
        "sealed too short to be a box": changed(sealed="QUJD"),
        "bad email hmac": changed(email_hmac="Åsa@example.se"),
        "bad withdrawal code": changed(withdrawal_code="ILOU-12345"),
        "control character": changed(postcode_area="2\x005"),
        "lone surrogate": changed(consent_version="v1 \ud800"),
        "year 1": changed(created_at_utc="0001-01-01T00:00:00+05:00"),
        "too many commitments": changed(commitments=[f"c{i}" for i in range(21)]),
        "unknown field": changed(favourite_colour="green"),
        "event not in batch": unknown_event,
        "same UUID twice": twice,
        "oversize batch": oversize,
        "future protocol": {**base, "protocol": 2},
    }


@pytest.mark.parametrize("label", list(BAD_BODIES))
def test_malformed_bodies_are_4xx_and_store_nothing(live_store, label):
    token = live_store.add_device()
    with live_store.client(token) as http:
        answer = http.post(
            UPLOAD, content=BAD_BODIES[label], headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 422, answer.text
    assert "nothing was stored" in answer.json()["detail"]
    assert stored_count(live_store) == 0


def test_invalid_batches_are_4xx_with_a_clear_error_and_store_nothing(live_store):
    token = live_store.add_device()
    with live_store.client(token) as http:
        for label, body in _bad_batches().items():
            answer = http.post(  # json.dumps escapes a lone surrogate as \\ud800
                UPLOAD, content=json.dumps(body), headers={"Content-Type": "application/json"}
            )
            assert answer.status_code == 422, (label, answer.text)
            assert answer.json()["errors"], label
            assert "Å" * 101 not in answer.text  # submitted values are not echoed
    assert stored_count(live_store) == 0


def test_oversize_body_is_413(live_store):
    token = live_store.add_device()
    with live_store.client(token) as http:
        answer = http.post(
            UPLOAD, content=b"x" * (17 * 1024 * 1024), headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 413
    assert "smaller batches" in answer.json()["detail"]


def test_wrong_missing_and_revoked_tokens_are_401(live_store, capsys):
    from kiosk.cli import main

    token = live_store.add_device("laptop-1")
    batch = batch_json(1)
    with live_store.client() as anonymous:
        assert anonymous.post(UPLOAD, json=batch).status_code == 401
    with live_store.client("kt1_wrong") as wrong:
        answer = wrong.post(UPLOAD, json=batch)
        assert answer.status_code == 401 and "wrong or has been revoked" in answer.json()["detail"]
    assert main(["devices", "revoke", "laptop-1", "--database-url", live_store.database_url]) == 0
    with live_store.client(token) as revoked:
        assert revoked.post(UPLOAD, json=batch).status_code == 401
        assert revoked.get("/api/v1/devices/me").status_code == 401
    assert stored_count(live_store) == 0


def test_a_request_looks_its_token_up_once_and_a_revoked_one_is_refused_at_once(live_store, capsys):
    """The gate asks the database when its cache has no answer and hands the route
    the device it found; a request the gate's cache let through is asked about by
    the route, so a token revoked meanwhile is refused on its next request."""
    from kiosk.cli import main

    token = live_store.add_device("laptop-1")
    lookups: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if "FROM devices" in statement:
            lookups.append(statement)

    engine = live_store.central.engine
    sql_event.listen(engine, "before_cursor_execute", count)
    try:
        with live_store.client(token) as http:
            assert http.post(UPLOAD, json=batch_json(2)).status_code == 200  # gate asked
            assert len(lookups) == 1
            assert http.post(UPLOAD, json=batch_json(2)).status_code == 200  # gate cached
            assert len(lookups) == 2
    finally:
        sql_event.remove(engine, "before_cursor_execute", count)
    with live_store.central.session() as session:
        device = session.scalars(select(Device)).one()
        assert device.last_seen_at_utc is not None  # the adopted device was saved
    assert stored_count(live_store) == 4
    assert main(["devices", "revoke", "laptop-1", "--database-url", live_store.database_url]) == 0
    with live_store.client(token) as revoked:  # the gate's cache still believes it
        assert revoked.post(UPLOAD, json=batch_json(1)).status_code == 401
    assert stored_count(live_store) == 4


def test_every_request_gives_its_connection_back(live_store):
    """The session a route gets is opened on the event loop and closed in the thread
    pool afterwards (sync.server.dependencies.get_session): none stays checked out,
    whether the route answered, refused or failed on the database's side."""
    token = live_store.add_device("laptop-1")
    with live_store.client(token) as http:
        assert http.post(UPLOAD, json=batch_json(3)).status_code == 200
        assert http.get("/api/v1/privacy").status_code == 200
        assert http.get("/api/v1/stats").status_code == 200
        assert http.get("/api/v1/devices/me").status_code == 200
        bad = batch_json(1)
        bad["records"][0]["language"] = "swedish"
        assert http.post(UPLOAD, json=bad).status_code == 422
    pool = live_store.central.engine.pool
    for _ in range(500):  # the last close may still be on its way to the thread pool
        if pool.checkedout() == 0:  # type: ignore[attr-defined]
            break
        threading.Event().wait(0.01)
    assert pool.checkedout() == 0  # type: ignore[attr-defined]


def test_openapi_docs_are_served(live_store):
    with live_store.client() as http:
        assert http.get("/docs").status_code == 200
        paths = http.get("/openapi.json").json()["paths"]
    assert {"/api/v1/signatures", "/api/v1/stats", "/api/v1/reconcile"} <= set(paths)


@pytest.mark.parametrize("label", list(BAD_BODIES))
def test_a_bad_body_without_a_token_is_401_not_a_parse_error(live_store, label):
    with live_store.client() as anonymous:
        answer = anonymous.post(
            UPLOAD, content=BAD_BODIES[label], headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 401 and "device token" in answer.json()["detail"]
    assert answer.headers["connection"] == "close"


def test_a_large_body_without_a_token_is_refused_before_it_is_read(live_store):
    with live_store.client("kt1_wrong") as wrong:
        answer = wrong.post(UPLOAD, content=b"{" * (8 * 1024 * 1024))
    assert answer.status_code == 401


def test_a_flood_is_logged_once_a_minute_with_a_count():
    import logging

    from sync.server.floodlog import FloodFilter

    now = [0.0]
    flood = FloodFilter(clock=lambda: now[0])

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("asyncio", logging.ERROR, __file__, 1, message, None, None)

    accept = "socket.accept() out of system resource\nsocket: <socket fd=7>"
    passed = [flood.filter(r) for r in (record(accept) for _ in range(1000))]
    assert passed.count(True) == 1
    assert flood.filter(record("something else")) is True
    now[0] = 61.0
    summary = record(accept)
    assert flood.filter(summary) is True
    assert summary.getMessage() == (
        "socket.accept() out of system resource (999 more like this in the last 60 s)"
    )
