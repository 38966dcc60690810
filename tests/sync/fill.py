"""Many pending signatures quickly, for load and fault tests.

`kiosk.demo.fill_demo` builds every pledge through the app's own path,
which is right for demos but too slow to make 20,000 in a test; this
writes the same columns with one Core insert per table.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime

from sqlalchemy import insert

from kiosk.demo import FIRST_NAMES, LAST_NAMES
from kiosk.store.engine import Store
from kiosk.store.models import Signature, SignatureCommitment, SyncState
from kiosk.store.repository import create_event, set_current_event
from sync.privacy.keys import development_keys
from sync.privacy.sealing import personal_document
from sync.privacy.withdrawal import code_for

COMMITMENTS = ("bike-short-trips", "less-food-waste", "eat-more-plants", "second-hand")


def fill_pending(store: Store, *, count: int, seed: int) -> list[str]:
    """`count` pending signatures at one event; returns their UUIDs."""
    rng = random.Random(seed)
    moment = datetime(2026, 6, 13, 9, 0)
    with store.session() as session:
        event = create_event(
            session, name=f"Stortorget {seed}", place="Stortorget", event_date=date(2026, 6, 13)
        )
        set_current_event(session, event)
        session.commit()
        event_id = event.id
    keys = development_keys()
    rows, links = [], []
    for index in range(count):
        signature_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        stroke = [[40 + i * 30, 400 + rng.randint(-120, 120)] for i in range(25)]
        email = f"signer{index}@example.se" if index % 2 else None
        rows.append(
            {
                "id": signature_id,
                "event_id": event_id,
                "created_at_utc": moment.replace(second=index % 60, microsecond=index),
                "utc_offset_minutes": 120,
                "local_date": date(2026, 6, 13),
                "language": "sv",
                "sealed": keys.seal(
                    personal_document(
                        name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                        email=email,
                        postcode="252 21",
                        strokes=[stroke],
                    )
                ),
                "email_hmac": keys.email_hmac(email),
                "withdrawal_code": code_for(signature_id),
                "postcode_area": "252",
                "lives_or_works_in_helsingborg": True,
                "community_opt_in": bool(index % 3),
                "helper_opt_in": False,
                "consent_version": "v1",
                "consent_sha256": "ab" * 32,
                "consent_given_at_utc": moment,
                "practice": False,
                "sync_state": SyncState.PENDING,
                "synced_at_utc": None,
            }
        )
        links.extend(
            {"signature_id": signature_id, "commitment_id": cid, "position": position}
            for position, cid in enumerate(rng.sample(COMMITMENTS, k=rng.randint(1, 3)))
        )
    with store.session() as session:
        session.execute(insert(Signature.__table__), rows)
        session.execute(insert(SignatureCommitment.__table__), links)
        session.commit()
    return [row["id"] for row in rows]
