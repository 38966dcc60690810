"""What the kiosk forgets: withdrawn signatures, and sealed data past its retention.

Counts stay right: deleting a row updates the summary totals (triggers),
and retention clears only `sealed`, never the row.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.privacy.sealing import install_keys
from kiosk.store.engine import Store
from kiosk.store.models import KnownEmailHmac, Signature, SyncState
from kiosk.store.outbox import StoreOutbox
from kiosk.store.repository import get_setting
from sync.driver_cursor import driver_cursor
from sync.privacy.keys import CampaignKeys
from sync.protocol import PrivacyUpdate

log = logging.getLogger(__name__)
RETENTION_DAYS_KEY = "privacy.retention_days"
DEFAULT_RETENTION_DAYS = 7


def forget_signatures(session: Session, ids: list[str]) -> int:
    """Delete every copy of these signatures (the signer withdrew); returns how many."""
    removed = 0
    for start in range(0, len(ids), 500):
        result = session.execute(
            delete(Signature).where(Signature.id.in_(ids[start : start + 500]))
        )
        removed += cast(CursorResult[Any], result).rowcount or 0
    return removed


def retention_days(session: Session) -> int:
    return int(get_setting(session, RETENTION_DAYS_KEY, DEFAULT_RETENTION_DAYS))


def apply_retention(session: Session, *, now: datetime) -> int:
    """Clear the sealed personal data of records the store acknowledged more than
    `retention_days` ago (`now` naive UTC); the records and counts stay."""
    cutoff = now - timedelta(days=retention_days(session))
    result = session.execute(
        update(Signature)
        .where(
            Signature.sync_state == SyncState.SENT,
            Signature.synced_at_utc < cutoff,
            Signature.sealed.is_not(None),
        )
        .values(sealed=None)
    )
    return cast(CursorResult[Any], result).rowcount or 0


def remember_email_hmacs(session: Session, hmacs: list[str]) -> None:
    """Replace what this kiosk knows with the store's whole list (a full update)."""
    session.execute(delete(KnownEmailHmac))
    update_email_hmacs(session, added=hmacs, removed=[])


def update_email_hmacs(session: Session, *, added: list[str], removed: list[str]) -> None:
    """Apply an incremental privacy update: a row per HMAC, so a new signer costs one
    insert, not a rewrite of everything known (nothing written if both are empty)."""
    for start in range(0, len(removed), 500):
        session.execute(
            delete(KnownEmailHmac).where(
                KnownEmailHmac.email_hmac.in_(removed[start : start + 500])
            )
        )
    fresh = sorted(set(added) - set(removed))
    if fresh:
        # On the sqlite3 cursor: a kiosk's first sync brings every HMAC the store holds,
        # and SQLAlchemy's parameters for each row (Core; the ORM's bulk path was worse)
        # cost ~16 µs a row: 0.08 s of the kiosk's CPU for 5,000 in bench_sync.
        with driver_cursor(session.connection()) as cursor:
            cursor.executemany(
                f"INSERT OR IGNORE INTO {KnownEmailHmac.__tablename__} (email_hmac) VALUES (?)",
                [(value,) for value in fresh],
            )


def has_signed_before(session: Session, keys: CampaignKeys, email: str | None) -> bool:
    """True when this email signed already (here, or anywhere the store has heard of)."""
    hmac_value = keys.email_hmac(email)
    if hmac_value is None:
        return False
    if session.get(KnownEmailHmac, hmac_value) is not None:
        return True
    mine = select(Signature.id).where(Signature.email_hmac == hmac_value).limit(1)
    return session.scalar(mine) is not None


def retention_at_start(store: Store) -> int:
    """Retention when the kiosk starts (it also runs after each sync); never stops a start."""
    try:
        with store.session() as session:
            cleared = apply_retention(session, now=datetime.now(UTC).replace(tzinfo=None))
            session.commit()
    except SQLAlchemyError:  # a locked or read-only file: the next sync tries again
        log.warning("retention could not run at start", exc_info=True)
        return 0
    log.info("privacy: %d past retention cleared at start", cleared)
    return cleared


class KioskPrivacy:
    """The kiosk's privacy rules, as the outbox applies them after a sync."""

    def install_keys(self, session: Session, keys: CampaignKeys) -> None:
        install_keys(session, keys)

    def apply_update(
        self, session: Session, privacy_update: PrivacyUpdate, *, now: datetime
    ) -> tuple[int, int]:
        """Forget withdrawn records, remember known email HMACs, clear past retention."""
        forgotten = forget_signatures(session, [str(value) for value in privacy_update.erased])
        if privacy_update.full:
            remember_email_hmacs(session, privacy_update.email_hmacs)
        else:
            update_email_hmacs(
                session,
                added=privacy_update.email_hmacs,
                removed=privacy_update.forgotten_email_hmacs,
            )
        return forgotten, apply_retention(session, now=now)

    def forget(self, session: Session, ids: list[str]) -> int:
        return forget_signatures(session, ids)


def kiosk_outbox(store: Store) -> StoreOutbox:
    """The outbox the upload client works against, with this kiosk's privacy rules."""
    return StoreOutbox(store, KioskPrivacy())
