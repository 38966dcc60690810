"""Tables of the central store (its own metadata and migrations, not the kiosk's)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(), date: Date()}


class Device(Base):
    """A kiosk allowed to upload; only the SHA-256 of its token is kept."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at_utc: Mapped[datetime]
    revoked_at_utc: Mapped[datetime | None]
    last_seen_at_utc: Mapped[datetime | None]


class StoreEvent(Base):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(120))
    date: Mapped[date]


class StoredSignature(Base):
    """A signature as received; `id` is the kiosk's UUID, the key of exactly-once.

    Name, email, postcode and the drawn signature are in `sealed`, exactly
    as the kiosk sealed them: the store cannot open them. `sealed` becomes
    NULL when the store's retention (serve --retention-days) removes it.
    """

    __tablename__ = "signatures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    kiosk_uuid: Mapped[str] = mapped_column(String(36))
    received_at_utc: Mapped[datetime]
    created_at_utc: Mapped[datetime]
    utc_offset_minutes: Mapped[int]
    local_date: Mapped[date]
    language: Mapped[str] = mapped_column(String(5))
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    email_hmac: Mapped[str | None] = mapped_column(String(64))  # ix_signatures_email_first
    withdrawal_code: Mapped[str] = mapped_column(String(10), index=True)
    # The earliest record with the same email HMAC, when this one is a repeat signer.
    duplicate_of: Mapped[str | None] = mapped_column(String(36))
    postcode_area: Mapped[str | None] = mapped_column(String(3))
    lives_or_works_in_helsingborg: Mapped[bool] = mapped_column(Boolean)
    community_opt_in: Mapped[bool] = mapped_column(Boolean)
    helper_opt_in: Mapped[bool] = mapped_column(Boolean)
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_sha256: Mapped[str] = mapped_column(String(64))
    consent_given_at_utc: Mapped[datetime]
    commitments: Mapped[str] = mapped_column(Text)  # JSON list of commitment ids, in order
    # The kiosk's clock was implausible at signing: its times are not to be trusted.
    clock_unreliable: Mapped[bool] = mapped_column(Boolean, default=False)


class Erasure(Base):
    """A tombstone: this UUID was erased at the signer's request and is never stored again."""

    __tablename__ = "erasures"

    signature_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    erased_at_utc: Mapped[datetime]


class PrivacyChange(Base):
    """One change kiosks must hear of, numbered so a kiosk asks only for what is new.

    `kind` is `erased` (a tombstone: `value` the UUID), `email` (an email HMAC the
    store did not hold before) or `unemail` (the last signature with that HMAC was
    erased). `seq` comes from `PrivacySequence` under its row lock, so numbers are
    handed out in commit order: a kiosk that has seen N has seen every change <= N.
    """

    __tablename__ = "privacy_changes"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(64))


class PrivacySequence(Base):
    """One row: the last `PrivacyChange.seq` handed out. Updating it locks it until
    commit, which is what keeps the numbers in commit order across server processes."""

    __tablename__ = "privacy_sequence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(BigInteger)


class Conflict(Base):
    """A record whose UUID the store already holds with other content, kept for a person."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("signature_id", "content_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signature_id: Mapped[str] = mapped_column(String(36), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    received_at_utc: Mapped[datetime]
    payload: Mapped[str] = mapped_column(Text)  # the refused record as JSON


class Tally(Base):
    """A count of signatures gathered elsewhere (web form, paper sheets), added by organisers."""

    __tablename__ = "tallies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    count: Mapped[int]
    note: Mapped[str] = mapped_column(String(200), default="")
    added_at_utc: Mapped[datetime]


# --- the organiser console (sync/server/console) ------------------------------


class ConsoleUser(Base):
    """An organiser's account; only an argon2id hash of the password is kept."""

    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[str] = mapped_column(String(12))  # admin | organiser | viewer
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at_utc: Mapped[datetime]


class ConsoleSession(Base):
    """A logged-in browser. `id` is the SHA-256 of the cookie's random value, so a copy
    of the database does not log anyone in; kept here so every server process sees it."""

    __tablename__ = "console_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at_utc: Mapped[datetime]
    last_seen_at_utc: Mapped[datetime]


class ConsoleLoginFailure(Base):
    """Wrong passwords in a row for one account ("user:NAME") or one address ("address:IP")."""

    __tablename__ = "console_login_failures"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int]
    last_failure_at_utc: Mapped[datetime]
    locked_until_utc: Mapped[datetime | None]


class ConsoleAudit(Base):
    """One line of the append-only audit log; never names, emails or passwords."""

    __tablename__ = "console_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at_utc: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(400), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class ConsoleSetting(Base):
    """Campaign settings the organisers change in the console (the goal)."""

    __tablename__ = "console_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CalendarEvent(Base):
    """An upcoming event the organisers planned; kiosks fetch the list at sync and use
    its `id` as the event id, so their signatures land on this event."""

    __tablename__ = "calendar_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(120))
    date: Mapped[date] = mapped_column(index=True)
    updated_at_utc: Mapped[datetime]


# Each email HMAC's signatures in the order the first of them is chosen (repository:
# repeat signers): an upload reads one entry per HMAC, not every holder's row. Its
# first column serves every query by HMAC.
Index(
    "ix_signatures_email_first",
    StoredSignature.email_hmac,
    StoredSignature.received_at_utc,
    StoredSignature.created_at_utc,
    StoredSignature.id,
)
# Covering indexes for the console's overview: its aggregates read these, not the rows
# with their sealed blobs (tests/bench/bench_console.py). The first also serves every
# query on event_id alone, so that column has no index of its own (one fewer per upload).
Index("ix_signatures_console_event_device", StoredSignature.event_id, StoredSignature.device_id)
Index(
    "ix_signatures_console_day",
    StoredSignature.local_date,
    StoredSignature.duplicate_of,
    StoredSignature.community_opt_in,
    StoredSignature.helper_opt_in,
)
# --- public pages (sync/server/public): withdrawals, rate limits --------------


class WithdrawnCode(Base):
    """A withdrawal code a signer gave on the public page, as its SHA-256 only.

    Kept so that a record with this code arriving later (its kiosk had not
    synced yet) is answered `erased` and never stored.
    """

    __tablename__ = "withdrawn_codes"

    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    withdrawn_at_utc: Mapped[datetime]


class WithdrawalAudit(Base):
    """One withdrawal made on the public page: when, which code (hashed), how many
    records it removed then. No name, email or address."""

    __tablename__ = "withdrawal_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at_utc: Mapped[datetime]
    code_sha256: Mapped[str] = mapped_column(String(64), index=True)
    records_erased: Mapped[int]


class RateCount(Base):
    """Requests counted per key and fixed time window, shared by every server process."""

    __tablename__ = "rate_counts"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int]


class PublicSecret(Base):
    """Random keys of the public pages (the form token's HMAC key), made once per store
    so that every server process signs and checks the same way."""

    __tablename__ = "public_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
