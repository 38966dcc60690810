"""Consent is provable: each signature names a versioned file and the hash of its bytes."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from kiosk.content import CONSENT_DIR, CURRENT_CONSENT_VERSION, load_consent
from kiosk.store import repository
from kiosk.store.models import Signature
from tests.conftest import make_pledge

# Languages with a written consent text; others are shown the Swedish one.
CONSENT_LANGUAGES = ("sv", "en")


def consent_file_sha256(language: str, version: str) -> str:
    return hashlib.sha256(
        (CONSENT_DIR / f"consent-{version}.{language}.md").read_bytes()
    ).hexdigest()


def test_every_consent_version_is_a_file_in_every_language():
    versions = {
        re.match(r"consent-(v\d+)\.", path.name).group(1) for path in CONSENT_DIR.glob("*.md")
    }
    assert CURRENT_CONSENT_VERSION in versions and "v1" in versions
    for version in versions:
        for language in CONSENT_LANGUAGES:
            assert (CONSENT_DIR / f"consent-{version}.{language}.md").is_file()


@pytest.mark.parametrize("language", CONSENT_LANGUAGES)
def test_the_stored_hash_is_the_hash_of_the_file_the_signer_was_shown(store, market_day, language):
    with store.session() as session:
        event = repository.ensure_current_event(session, default_name="Torget", now=market_day)
        session.commit()
    repository.save_signature(
        store, make_pledge(), event_id=event.id, consent=load_consent(language), now=market_day
    )
    with store.session() as session:
        row = session.scalars(select(Signature)).one()
    assert row.consent_version == CURRENT_CONSENT_VERSION
    assert row.consent_sha256 == consent_file_sha256(language, CURRENT_CONSENT_VERSION)
    assert row.consent_sha256 != consent_file_sha256(language, "v1")  # versions differ
