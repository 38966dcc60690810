"""Sealed boxes: personal data one JSON document at a time.

libsodium sealed boxes (PyNaCl `SealedBox`): an ephemeral X25519 key per
message and XSalsa20-Poly1305, so the result is authenticated and does not
reveal which kiosk sealed it. Whoever holds only the public key can seal but
never open.
"""

from __future__ import annotations

import json

from nacl.public import PrivateKey, PublicKey, SealedBox
from pydantic_core import to_json


def personal_document(
    *, name: str, email: str | None, postcode: str | None, strokes: object
) -> dict[str, object]:
    """The one JSON document that is sealed: everything that identifies the signer."""
    return {"name": name, "email": email, "postcode": postcode, "strokes": strokes}


def seal_document(public_key: bytes, document: dict[str, object]) -> bytes:
    """`document` sealed for the holder of the private half of `public_key`.

    Spelled as compact UTF-8 JSON by pydantic's serializer (Rust), which takes the
    strokes' tuples as they are: json.dumps, after turning ~300 points into lists,
    was a third of a save's own work (tests/bench/bench_store.py)."""
    return SealedBox(PublicKey(public_key)).encrypt(to_json(document))


def open_document(private_key: PrivateKey, sealed: bytes) -> dict[str, object]:
    """The document inside; raises nacl.exceptions.CryptoError for another key or damage."""
    document: dict[str, object] = json.loads(SealedBox(private_key).decrypt(sealed))
    return document
