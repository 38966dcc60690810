"""Campaign keys: made once by organisers, public half given to every kiosk.

Personal data is sealed with libsodium sealed boxes (`sync.privacy.sealing`).
A kiosk can seal but never open; only the holder of the private key and its
passphrase can.

Files `keys init` writes into a folder:

- `campaign.kiosk.json`: the public key and the email HMAC key (random 32
  bytes). Kiosks get this file (or the same values from the central store
  at enrolment). It is not secret like the private key, but the HMAC key
  should not be published: with it, a guessed email can be checked against
  the hashes.
- `campaign.private.json`: the private key, encrypted with a SecretBox
  whose key is derived from a passphrase with argon2id (`nacl.pwhash`).
  It never goes to a kiosk or the central store.

A DEVELOPMENT key pair ships with the code so a fresh checkout runs: its
kiosk half is `DEVELOPMENT_KIOSK_KEYS` below (in the code, so a store
installed without the kiosk's resources has it too), its private file
(passphrase "development") is tests/data/. Anything sealed with it is NOT
protected; a kiosk using it says so (`CampaignKeys.development`).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.public import PrivateKey, PublicKey

from sync.privacy.email import email_hmac
from sync.privacy.sealing import open_document, seal_document

KIOSK_FILE = "campaign.kiosk.json"
PRIVATE_FILE = "campaign.private.json"
KIOSK_FORMAT = "klimatavtal-campaign-kiosk-keys/1"
PRIVATE_FORMAT = "klimatavtal-campaign-private-key/1"
DEVELOPMENT_KIOSK_KEYS = {
    "format": KIOSK_FORMAT,
    "public_key": "w3p2giGWP6f8U+qLXm9I4kprXxCxjDiCHLIcO3luugY=",
    "email_hmac_key": "Z3I0oQsqwS5f7sfB00a4pi2+dk41gi+37+P9gUkC694=",
    "development": True,
}
DEVELOPMENT_PASSPHRASE = "development"
MIN_PASSPHRASE = 8
_KDF = nacl.pwhash.argon2id


class CampaignKeyError(ValueError):
    """A key file is missing, damaged, or the passphrase is wrong; the message says which."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, length: int | None = None) -> bytes:
    data = base64.b64decode(text, validate=True)
    if length is not None and len(data) != length:
        raise ValueError(f"expected {length} bytes, got {len(data)}")
    return data


@dataclass(frozen=True)
class CampaignKeys:
    """What a kiosk holds: enough to seal and to hash emails, nothing to open."""

    public_key: bytes
    email_hmac_key: bytes
    development: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "format": KIOSK_FORMAT,
            "public_key": _b64(self.public_key),
            "email_hmac_key": _b64(self.email_hmac_key),
            "development": self.development,
        }

    @classmethod
    def from_json(cls, data: object) -> CampaignKeys:
        try:
            if not isinstance(data, dict) or data.get("format") != KIOSK_FORMAT:
                raise ValueError(f"not a {KIOSK_FORMAT} document")
            return cls(
                public_key=_unb64(data["public_key"], PublicKey.SIZE),
                email_hmac_key=_unb64(data["email_hmac_key"], 32),
                development=bool(data.get("development", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CampaignKeyError(f"not a campaign key file for kiosks ({exc})") from exc

    @classmethod
    def load(cls, path: Path) -> CampaignKeys:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CampaignKeyError(f"{path} cannot be read: {exc.strerror}") from exc
        try:
            return cls.from_json(json.loads(text))
        except ValueError as exc:
            raise CampaignKeyError(f"{path}: {exc}") from exc

    def seal(self, document: dict[str, object]) -> bytes:
        """One JSON document sealed for the campaign; only the private key opens it."""
        return seal_document(self.public_key, document)

    def email_hmac(self, email: str | None) -> str | None:
        """HMAC-SHA256 of the normalised email: finds a repeat signer without the address."""
        return email_hmac(self.email_hmac_key, email)


@cache
def development_keys() -> CampaignKeys:
    """The shipped DEVELOPMENT key (parsed once: every save on an unkeyed kiosk uses it)."""
    return CampaignKeys.from_json(DEVELOPMENT_KIOSK_KEYS)


@dataclass(frozen=True)
class CampaignPrivateKey:
    """The organisers' key, opened with its passphrase; used only by `export`."""

    private_key: PrivateKey

    def open(self, sealed: bytes) -> dict[str, object]:
        try:
            return open_document(self.private_key, sealed)
        except nacl.exceptions.CryptoError as exc:
            raise CampaignKeyError(
                "a record cannot be opened with this private key: it was sealed with another "
                "campaign key (or is damaged)"
            ) from exc

    @classmethod
    def load(cls, path: Path, passphrase: str) -> CampaignPrivateKey:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CampaignKeyError(f"{path} cannot be read: {exc.strerror}") from exc
        except ValueError as exc:
            raise CampaignKeyError(f"{path} is not a private key file") from exc
        try:
            if data.get("format") != PRIVATE_FORMAT:
                raise ValueError(f"not a {PRIVATE_FORMAT} document")
            salt = _unb64(data["salt"], _KDF.SALTBYTES)
            box = _unb64(data["encrypted_private_key"])
            ops, mem = int(data["opslimit"]), int(data["memlimit"])
            public = _unb64(data["public_key"], PublicKey.SIZE)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise CampaignKeyError(f"{path} is not a private key file ({exc})") from exc
        secret = _KDF.kdf(
            nacl.secret.SecretBox.KEY_SIZE, passphrase.encode(), salt, opslimit=ops, memlimit=mem
        )
        try:
            raw = nacl.secret.SecretBox(secret).decrypt(box)
        except nacl.exceptions.CryptoError:
            raise CampaignKeyError(f"wrong passphrase for {path}") from None
        key = PrivateKey(raw)
        if bytes(key.public_key) != public:
            raise CampaignKeyError(f"{path} is damaged: its key does not match its public key")
        return cls(key)


def private_key_document(
    key: PrivateKey,
    passphrase: str,
    *,
    opslimit: int = _KDF.OPSLIMIT_MODERATE,
    memlimit: int = _KDF.MEMLIMIT_MODERATE,
) -> dict[str, object]:
    """The private key encrypted under an argon2id-derived key (SecretBox)."""
    salt = nacl.utils.random(_KDF.SALTBYTES)
    secret = _KDF.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode(),
        salt,
        opslimit=opslimit,
        memlimit=memlimit,
    )
    box = nacl.secret.SecretBox(secret).encrypt(bytes(key))
    return {
        "format": PRIVATE_FORMAT,
        "note": "Helsingborgarnas Klimatavtal campaign private key. Keep it with the organisers; "
        "never copy it to a kiosk or the central store.",
        "kdf": "argon2id",
        "opslimit": opslimit,
        "memlimit": memlimit,
        "salt": _b64(salt),
        "encrypted_private_key": _b64(bytes(box)),
        "public_key": _b64(bytes(key.public_key)),
    }


def init_keys(out: Path, passphrase: str, *, development: bool = False, **kdf: int) -> CampaignKeys:
    """Make a campaign key pair and HMAC key in `out`; refuses to overwrite."""
    if len(passphrase) < MIN_PASSPHRASE and not development:
        raise CampaignKeyError(f"the passphrase must be at least {MIN_PASSPHRASE} characters")
    targets = [out / KIOSK_FILE, out / PRIVATE_FILE]
    existing = [str(path) for path in targets if path.exists()]
    if existing:
        raise CampaignKeyError(f"refusing to overwrite {', '.join(existing)}")
    key = PrivateKey.generate()
    keys = CampaignKeys(bytes(key.public_key), nacl.utils.random(32), development)
    out.mkdir(parents=True, exist_ok=True)
    private = json.dumps(private_key_document(key, passphrase, **kdf), indent=2) + "\n"
    (out / PRIVATE_FILE).touch(mode=0o600)
    (out / PRIVATE_FILE).write_text(private, encoding="utf-8")
    (out / KIOSK_FILE).write_text(json.dumps(keys.to_json(), indent=2) + "\n", encoding="utf-8")
    return keys
