"""Withdrawal codes: what a signer keeps to ask for their signature to be removed.

Ten characters of Crockford base32 (no I, L, O or U, so nothing is misread
from a receipt): nine (45 bits) from a hash of the signature's UUID, so
the thank-you screen and the receipt know the code from the UUID alone and
the central store can check it, and a Luhn mod 32 check
character, which catches any single mistyped character and most swapped
neighbours. Shown and printed as `XXXXX-XXXXX`; read back forgivingly
(case, dashes, spaces, and O/I/L typed for 0/1/1).
"""

from __future__ import annotations

import hashlib

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
DATA_CHARS = 9
LENGTH = DATA_CHARS + 1


def _check_char(data: str) -> str:
    """Luhn mod N (N = 32) over the data characters."""
    total = 0
    factor = 2
    for char in reversed(data):
        addend = factor * _VALUE[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def code_for(signature_id: str) -> str:
    """The withdrawal code of a signature (its UUID is never shown to anyone)."""
    digest = hashlib.sha256(f"klimatavtal-withdrawal:{signature_id.lower()}".encode()).digest()
    bits = int.from_bytes(digest[:8], "big") >> (64 - 5 * DATA_CHARS)
    data = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(DATA_CHARS)))
    return data + _check_char(data)


def withdrawal_page(configured: str | None, store_url: str | None, website_url: str) -> str:
    """The withdrawal page: the content file's `withdrawal_url`, else the enrolled central
    store's own page (sync/server/public), else the website's (before enrolment)."""
    if configured:
        return configured
    return f"{(store_url or website_url).rstrip('/')}/aterkalla"


def withdrawal_url(page: str, code: str) -> str:
    """What the QR code on the thank-you screen opens: the page with the code filled in."""
    return f"{page}?kod={display_code(code)}"


def normalise_code(text: str) -> str | None:
    """The stored form of a typed code, or None when it is not a valid code."""
    code = text.upper().translate(_LOOKALIKES)
    if len(code) != LENGTH or any(char not in _VALUE for char in code):
        return None
    return code if _check_char(code[:DATA_CHARS]) == code[-1] else None


def display_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"
