"""Putting campaign keys into this kiosk's database (`keys import`, enrolment).

Reading them back, and sealing a pledge with them, is the store's own
business (`kiosk.store.keys`): the store needs them at every save. The
primitives themselves (sealed boxes, key files) are `sync.privacy`,
shared with the central store. `configured_keys` and friends are
re-exported so callers of this module keep one place to look.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from kiosk.store.keys import KEYS_SETTING, configured_keys, sealing_key_is_development
from kiosk.store.models import Setting
from sync.privacy.keys import CampaignKeys
from sync.privacy.sealing import personal_document

__all__ = ["configured_keys", "install_keys", "personal_document", "sealing_key_is_development"]


def install_keys(session: Session, keys: CampaignKeys) -> None:
    """Make this kiosk seal with `keys` from now on (records already sealed stay as they are)."""
    row = session.get(Setting, KEYS_SETTING)
    value = json.dumps(keys.to_json())
    if row is None:
        session.add(Setting(key=KEYS_SETTING, value=value))
    else:
        row.value = value
