"""Which campaign keys this kiosk seals with, read from its own settings.

The store needs them at every save (`save_signature` seals in the same
transaction), so reading them lives here, below `kiosk.privacy`, which
installs them (`install_keys`): the arrow points privacy -> store only.
A kiosk without keys falls back to the DEVELOPMENT key and says so
(`sealing_key_is_development`).
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from kiosk.pledge import Pledge
from kiosk.store.models import Setting
from sync.privacy.keys import CampaignKeys, development_keys
from sync.privacy.sealing import personal_document

KEYS_SETTING = "privacy.campaign_keys"


def configured_keys(session: Session | Connection) -> CampaignKeys:
    """The campaign keys this kiosk seals with (the development key when none were given)."""
    value = session.scalar(select(Setting.value).where(Setting.key == KEYS_SETTING))
    return development_keys() if value is None else CampaignKeys.from_json(json.loads(value))


def sealing_key_is_development(session: Session | Connection) -> bool:
    """True when data sealed here is NOT protected: show it on the volunteer dashboard."""
    return configured_keys(session).development


def seal_pledge(keys: CampaignKeys, pledge: Pledge) -> bytes:
    """The signer's name, email, postcode and drawing, sealed for the campaign."""
    details = pledge.details
    return keys.seal(
        personal_document(
            name=details.name,
            email=details.email,
            postcode=details.postcode,
            strokes=pledge.strokes,  # tuples: the JSON is the same arrays
        )
    )
