"""The console's append-only audit log: who did what, when, from where; never personal data.

Nothing updates or deletes these rows; the console only adds and reads them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import ConsoleAudit

COLUMNS = ("at_utc", "actor", "action", "detail", "address")


def record(
    session: Session, *, now: datetime, actor: str, action: str, detail: str = "", address: str = ""
) -> None:
    session.add(
        ConsoleAudit(
            at_utc=now, actor=actor[:60], action=action, detail=detail[:400], address=address[:64]
        )
    )


def entries(session: Session, *, limit: int | None = None) -> list[ConsoleAudit]:
    query = select(ConsoleAudit).order_by(ConsoleAudit.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))
