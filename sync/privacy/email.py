"""Email HMACs: finding a repeat signer (or an erasure request) without the address.

Both ends compute the same value: the kiosk to tell a signer "you have
already signed", the store to erase by email without opening anything.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata


def normalise_email(email: str) -> str:
    """NFC, trimmed, lower-case: the same person types it the same way twice."""
    return unicodedata.normalize("NFC", email).strip().lower()


def email_hmac(key: bytes, email: str | None) -> str | None:
    """HMAC-SHA256 of the normalised email, hex; None when there is no email."""
    if not email:
        return None
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()
