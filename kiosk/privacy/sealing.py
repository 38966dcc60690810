"""Which campaign keys this kiosk seals with, and what a sealed document holds.

The keys live in the kiosk's own database (a setting), put there by
`keys import` or by enrolment; a kiosk without them falls back to the
DEVELOPMENT key and says so (`sealing_key_is_development`).
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from kiosk.pledge import Pledge
from kiosk.privacy.keys import CampaignKeys, development_keys
from kiosk.store.models import Setting

KEYS_SETTING = "privacy.campaign_keys"


def _parse(value: str | None) -> CampaignKeys:
    return development_keys() if value is None else CampaignKeys.from_json(json.loads(value))


def configured_keys(session: Session | Connection) -> CampaignKeys:
    """The campaign keys this kiosk seals with (the development key when none were given)."""
    return _parse(session.scalar(select(Setting.value).where(Setting.key == KEYS_SETTING)))


def sealing_key_is_development(session: Session | Connection) -> bool:
    """True when data sealed here is NOT protected: show it on the volunteer dashboard."""
    return configured_keys(session).development


def install_keys(session: Session, keys: CampaignKeys) -> None:
    """Make this kiosk seal with `keys` from now on (records already sealed stay as they are)."""
    row = session.get(Setting, KEYS_SETTING)
    value = json.dumps(keys.to_json())
    if row is None:
        session.add(Setting(key=KEYS_SETTING, value=value))
    else:
        row.value = value


def personal_document(
    *, name: str, email: str | None, postcode: str | None, strokes: object
) -> dict[str, object]:
    """The one JSON document that is sealed: everything that identifies the signer."""
    return {"name": name, "email": email, "postcode": postcode, "strokes": strokes}


def seal_pledge(keys: CampaignKeys, pledge: Pledge) -> bytes:
    details = pledge.details
    strokes = [[list(point) for point in stroke] for stroke in pledge.strokes]
    return keys.seal(
        personal_document(
            name=details.name, email=details.email, postcode=details.postcode, strokes=strokes
        )
    )
