"""Opening what a kiosk sealed, with the development private key (tests only)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sync.privacy.keys import CampaignPrivateKey

DEV_PRIVATE = Path(__file__).resolve().parent / "data" / "development.private.json"
DEV_PASSPHRASE = "development"


@cache
def dev_private_key() -> CampaignPrivateKey:
    return CampaignPrivateKey.load(DEV_PRIVATE, DEV_PASSPHRASE)


def unseal(sealed: bytes | None) -> dict:
    assert sealed is not None, "the sealed personal data is gone"
    return dev_private_key().open(sealed)
