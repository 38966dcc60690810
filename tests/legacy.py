"""Signatures as kiosks stored them before personal data was sealed (tests of migrations)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import text

from kiosk.content import load_consent
from kiosk.pledge import Pledge, postcode_area
from kiosk.store import Store, repository
from kiosk.store.repository import utc_naive


def save_plaintext(store: Store, pledge: Pledge, *, now: datetime) -> str:
    """One row in the pre-sealing shape: name, email, postcode and strokes readable."""
    with store.session() as session:
        event = repository.ensure_current_event(session, default_name="Stortorget", now=now)
        session.commit()
    consent = load_consent("sv")
    details = pledge.details
    signature_id = str(uuid.uuid4())
    row = {
        "id": signature_id,
        "event_id": event.id,
        "created_at_utc": utc_naive(now),
        "utc_offset_minutes": int(now.utcoffset().total_seconds() // 60),
        "local_date": now.date(),
        "language": pledge.language,
        "name": details.name,
        "email": details.email,
        "postcode": details.postcode,
        "postcode_area": postcode_area(details.postcode),
        "lives": details.lives_or_works_in_helsingborg,
        "community": details.community_opt_in,
        "helper": details.helper_opt_in,
        "consent_version": consent.version,
        "consent_sha256": consent.sha256,
        "consent_given_at_utc": utc_naive(now),
        "strokes": json.dumps([[list(p) for p in stroke] for stroke in pledge.strokes]),
    }
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO signatures (id, event_id, created_at_utc, utc_offset_minutes, "
                "local_date, language, name, email, postcode, postcode_area, "
                "lives_or_works_in_helsingborg, community_opt_in, helper_opt_in, "
                "consent_version, consent_sha256, consent_given_at_utc, strokes, practice, "
                "sync_state) VALUES (:id, :event_id, :created_at_utc, :utc_offset_minutes, "
                ":local_date, :language, :name, :email, :postcode, :postcode_area, :lives, "
                ":community, :helper, :consent_version, :consent_sha256, "
                ":consent_given_at_utc, :strokes, 0, 'pending')"
            ),
            row,
        )
        connection.execute(
            text(
                "INSERT INTO signature_commitments (signature_id, commitment_id, position) "
                "VALUES (:id, :cid, :pos)"
            ),
            [{"id": signature_id, "cid": c, "pos": i} for i, c in enumerate(pledge.commitments)],
        )
    return signature_id
