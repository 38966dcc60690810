"""Valid wire records for server tests, built as the JSON a kiosk sends."""

from __future__ import annotations

import uuid


def event_json(event_id: str | None = None, name: str = "Stortorget lördagsmarknad") -> dict:
    return {
        "id": event_id or str(uuid.uuid4()),
        "name": name,
        "place": "Stortorget",
        "date": "2026-06-13",
    }


def record_json(event_id: str, name: str = "Åsa Öberg", **changes: object) -> dict:
    record = {
        "id": str(uuid.uuid4()),
        "event_id": event_id,
        "created_at_utc": "2026-06-13T09:15:00",
        "utc_offset_minutes": 120,
        "local_date": "2026-06-13",
        "language": "sv",
        "name": name,
        "email": "asa@example.se",
        "postcode": "252 21",
        "postcode_area": "252",
        "lives_or_works_in_helsingborg": True,
        "community_opt_in": False,
        "helper_opt_in": False,
        "consent_version": "v1",
        "consent_sha256": "ab" * 32,
        "consent_given_at_utc": "2026-06-13T09:15:00",
        "strokes": "[[[100, 300], [120, 315]]]",
        "commitments": ["bike-short-trips", "less-food-waste"],
    }
    record.update(changes)
    return record


def batch_json(count: int = 3, *, event: dict | None = None, kiosk: str | None = None) -> dict:
    event = event or event_json()
    return {
        "protocol": 1,
        "kiosk_uuid": kiosk or str(uuid.uuid4()),
        "events": [event],
        "records": [record_json(event["id"], name=f"Signer {i}") for i in range(count)],
    }
