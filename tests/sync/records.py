"""Valid wire records for server tests, built as the JSON a kiosk sends."""

from __future__ import annotations

import base64
import uuid

from sync.privacy.keys import development_keys
from sync.privacy.sealing import personal_document
from sync.privacy.withdrawal import code_for

KEYS = development_keys()


def event_json(event_id: str | None = None, name: str = "Stortorget lördagsmarknad") -> dict:
    return {
        "id": event_id or str(uuid.uuid4()),
        "name": name,
        "place": "Stortorget",
        "date": "2026-06-13",
    }


def sealed_json(
    name: str = "Åsa Öberg", email: str | None = "asa@example.se", postcode: str | None = "252 21"
) -> str:
    """Personal data sealed with the development key, base64, as a kiosk sends it."""
    document = personal_document(
        name=name, email=email, postcode=postcode, strokes=[[[100, 300], [120, 315]]]
    )
    return base64.b64encode(KEYS.seal(document)).decode("ascii")


def record_json(
    event_id: str,
    name: str = "Åsa Öberg",
    email: str | None = "asa@example.se",
    postcode: str | None = "252 21",
    **changes: object,
) -> dict:
    signature_id = str(uuid.uuid4())
    record = {
        "id": signature_id,
        "event_id": event_id,
        "created_at_utc": "2026-06-13T09:15:00",
        "utc_offset_minutes": 120,
        "local_date": "2026-06-13",
        "language": "sv",
        "sealed": sealed_json(name, email, postcode),
        "email_hmac": KEYS.email_hmac(email),
        "withdrawal_code": code_for(signature_id),
        "postcode_area": "252",
        "lives_or_works_in_helsingborg": True,
        "community_opt_in": False,
        "helper_opt_in": False,
        "consent_version": "v1",
        "consent_sha256": "ab" * 32,
        "consent_given_at_utc": "2026-06-13T09:15:00",
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
