"""Putting campaign keys into this kiosk's database (`keys import`, enrolment).

Reading them back, and sealing a pledge with them, is the store's own
business (`kiosk.store.keys`): the store needs them at every save. The
primitives themselves (sealed boxes, key files) are `sync.privacy`,
shared with the central store.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from kiosk.store.keys import KEYS_SETTING
from kiosk.store.models import Setting
from sync.privacy.keys import CampaignKeys


def install_keys(session: Session, keys: CampaignKeys) -> None:
    """Make this kiosk seal with `keys` from now on (records already sealed stay as they are)."""
    row = session.get(Setting, KEYS_SETTING)
    value = json.dumps(keys.to_json())
    if row is None:
        session.add(Setting(key=KEYS_SETTING, value=value))
    else:
        row.value = value
