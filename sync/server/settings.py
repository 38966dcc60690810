"""Settings of the central store, and where its default SQLite file lives.

The default database is chosen in this order: an explicit `--database-url`,
the `KLIMATAVTAL_STORE_DATABASE_URL` environment variable, then a SQLite
file `central-store.sqlite3` in the platform's user data folder for
"klimatavtal-store" (`~/.local/share/klimatavtal-store/` on Linux) — apart
from any kiosk's data folder, so a laptop that is both never mixes them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kiosk.privacy.keys import CampaignKeys
from sync.protocol import MAX_BODY_BYTES

DATABASE_URL_ENV = "KLIMATAVTAL_STORE_DATABASE_URL"
STORE_APP_NAME = "klimatavtal-store"
STORE_FILENAME = "central-store.sqlite3"


def default_database_url() -> str:
    from_env = os.environ.get(DATABASE_URL_ENV)
    if from_env:
        return from_env
    folder = Path(platformdirs.user_data_dir(STORE_APP_NAME, appauthor=False))
    return f"sqlite:///{folder / STORE_FILENAME}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    max_body_bytes: int = MAX_BODY_BYTES
    # Handed to kiosks at enrolment (GET /api/v1/campaign-key); never a private key.
    campaign_keys: CampaignKeys | None = None
    # Sealed personal data older than this is dropped (counts stay); None keeps it
    # for as long as the campaign runs.
    retention_days: int | None = None
    # The public counter's goal (widget progress, /api/v1/stats `goal`); None: no goal.
    goal: int | None = None
