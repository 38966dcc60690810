"""Repeat signers at the store: each signature with an email HMAC the store already
holds points at the first one (received, then created, then UUID), on SQLite and
PostgreSQL alike, whether the first came earlier, in the same batch, or was refused."""

from __future__ import annotations

import copy

from sqlalchemy import select

from sync.server.models import StoredSignature
from tests.sync.records import event_json, record_json

UPLOAD = "/api/v1/signatures"


def upload(live, token: str, records: list[dict], event: dict) -> dict:  # type: ignore[no-untyped-def]
    with live.client(token) as http:
        answer = http.post(
            UPLOAD,
            json={
                "protocol": 1,
                "kiosk_uuid": "6f1c8a52-3d7e-4b0a-9f3e-2a6b1c0d9e47",
                "events": [event],
                "records": records,
            },
        )
    assert answer.status_code == 200
    return answer.json()


def pointers(live) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    with live.central.session() as session:
        return dict(session.execute(select(StoredSignature.id, StoredSignature.duplicate_of)).all())


def test_the_first_in_a_batch_and_in_later_batches_is_the_earliest(live_store):
    token = live_store.add_device()
    event = event_json()
    later = record_json(event["id"], created_at_utc="2026-06-13T09:20:00")
    earlier = record_json(event["id"], created_at_utc="2026-06-13T09:10:00")
    other = record_json(event["id"], email="someone@example.se")
    upload(live_store, token, [later, earlier, other], event)
    again = record_json(event["id"], created_at_utc="2026-06-13T09:00:00")
    upload(live_store, token, [again], event)
    assert pointers(live_store) == {
        earlier["id"]: None,
        later["id"]: earlier["id"],
        other["id"]: None,
        # Created earlier still, but received later: the first stays the first.
        again["id"]: earlier["id"],
    }


def test_a_retried_batch_changes_no_pointer(live_store):
    token = live_store.add_device()
    event = event_json()
    records = [record_json(event["id"], name=f"Signer {i}") for i in range(3)]
    upload(live_store, token, records, event)
    before = pointers(live_store)
    answer = upload(live_store, token, records, event)
    assert answer["duplicates"] == 3
    assert pointers(live_store) == before
    (first,) = [key for key, value in before.items() if value is None]
    assert before == {key: None if key == first else first for key in before}


def test_a_refused_record_is_nobody_s_first(live_store):
    """The store holds A; a batch brings A's UUID with other content (an email no one
    has given) and, created later, B with that email. A' would be the first of that
    email, but is refused: B is the first, pointing at nothing."""
    token = live_store.add_device()
    event = event_json()
    held = record_json(event["id"])
    upload(live_store, token, [held], event)
    changed = copy.deepcopy(
        record_json(event["id"], email="new@example.se", created_at_utc="2026-06-13T09:00:00")
    )
    changed["id"] = held["id"]
    changed["withdrawal_code"] = held["withdrawal_code"]
    newcomer = record_json(
        event["id"], email="new@example.se", created_at_utc="2026-06-13T09:30:00"
    )
    follower = record_json(
        event["id"], email="new@example.se", created_at_utc="2026-06-13T09:40:00"
    )
    answer = upload(live_store, token, [changed, newcomer, follower], event)
    assert [r["status"] for r in answer["results"]] == ["refused", "accepted", "accepted"]
    assert pointers(live_store) == {
        held["id"]: None,
        newcomer["id"]: None,
        follower["id"]: newcomer["id"],
    }
