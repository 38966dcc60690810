"""Practice mode: volunteers train on the real screens without real records.

Practice signatures are saved with `practice=True` and SyncState.NEVER, so
no count includes them and sync never sees them; ending practice deletes
them all. The switch itself is a setting, so a restart keeps the banner
on until a volunteer turns practice off.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from kiosk.store.models import Signature, SignatureCommitment
from kiosk.store.repository import get_setting, set_setting

PRACTICE_KEY = "volunteer.practice"


def is_practice(session: Session) -> bool:
    return bool(get_setting(session, PRACTICE_KEY, False))


def start_practice(session: Session) -> None:
    set_setting(session, PRACTICE_KEY, True)


def end_practice(session: Session) -> int:
    """Turn practice off and delete every practice signature; return how many."""
    practice_ids = select(Signature.id).where(Signature.practice.is_(True))
    session.execute(
        delete(SignatureCommitment).where(SignatureCommitment.signature_id.in_(practice_ids))
    )
    deleted = cast(
        CursorResult[Any], session.execute(delete(Signature).where(Signature.practice.is_(True)))
    ).rowcount
    set_setting(session, PRACTICE_KEY, False)
    return int(deleted or 0)
