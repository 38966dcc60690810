"""The stall dashboard's figures, each one SQL query, practice excluded.

Hours are the signer's local hours: `created_at_utc` shifted by the
offset stored beside it, so a stall that runs across a DST change still
charts the clock the volunteers saw.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import ColumnElement, Integer, cast, func, select
from sqlalchemy.orm import Session

from kiosk.store.keys import sealing_key_is_development
from kiosk.store.models import Signature, SignatureCommitment
from kiosk.store.repository import current_event, pending_count

LOW_DISK_BYTES = 500 * 1024 * 1024
MANY_PENDING = 200
TOP_COMMITMENTS = 5


@dataclass(frozen=True)
class Attention:
    """Something a volunteer should look at: a strings.toml key and its values."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Dashboard:
    today: int
    event_name: str | None
    event: int
    per_hour: dict[int, int]  # local hour -> signatures today
    top_commitments: list[tuple[str, int]]  # (commitment id, times chosen) this event
    community_opt_ins: int  # this event
    helper_opt_ins: int  # this event
    pending: int
    free_bytes: int
    attention: list[Attention]


def _counted() -> ColumnElement[bool]:
    return Signature.practice.is_(False)


def local_hour() -> ColumnElement[int]:
    shifted = func.datetime(
        Signature.created_at_utc, func.printf("%+d minutes", Signature.utc_offset_minutes)
    )
    return cast(func.strftime("%H", shifted), Integer)


def per_hour(session: Session, *, local_date: date) -> dict[int, int]:
    hour = local_hour().label("hour")
    rows = session.execute(
        select(hour, func.count())
        .where(_counted(), Signature.local_date == local_date)
        .group_by(hour)
        .order_by(hour)
    ).all()
    return {int(h): int(n) for h, n in rows}


def top_commitments(
    session: Session, *, event_id: str, limit: int = TOP_COMMITMENTS
) -> list[tuple[str, int]]:
    chosen = func.count().label("chosen")
    rows = session.execute(
        select(SignatureCommitment.commitment_id, chosen)
        .join(Signature, Signature.id == SignatureCommitment.signature_id)
        .where(_counted(), Signature.event_id == event_id)
        .group_by(SignatureCommitment.commitment_id)
        .order_by(chosen.desc(), SignatureCommitment.commitment_id)
        .limit(limit)
    ).all()
    return [(cid, int(n)) for cid, n in rows]


def collect_dashboard(
    session: Session, *, today: date, data_dir: Path, low_disk_bytes: int = LOW_DISK_BYTES
) -> Dashboard:
    event = current_event(session)
    today_count = (
        session.scalar(select(func.count()).where(_counted(), Signature.local_date == today)) or 0
    )
    event_count = community = helpers = 0
    top: list[tuple[str, int]] = []
    if event is not None:
        row = session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(cast(Signature.community_opt_in, Integer)), 0),
                func.coalesce(func.sum(cast(Signature.helper_opt_in, Integer)), 0),
            ).where(_counted(), Signature.event_id == event.id)
        ).one()
        event_count, community, helpers = (int(v) for v in row)
        top = top_commitments(session, event_id=event.id)
    pending = pending_count(session)
    free = shutil.disk_usage(data_dir).free
    attention = []
    if event is None:
        attention.append(Attention("volunteer.attention_no_event"))
    if free < low_disk_bytes:
        attention.append(Attention("volunteer.attention_low_disk", {"free": free // 2**20}))
    if pending >= MANY_PENDING:
        attention.append(Attention("volunteer.attention_pending", {"pending": pending}))
    if sealing_key_is_development(session):
        attention.append(Attention("volunteer.attention_development_key"))
    return Dashboard(
        today=today_count,
        event_name=event.name if event else None,
        event=event_count,
        per_hour=per_hour(session, local_date=today),
        top_commitments=top,
        community_opt_ins=community,
        helper_opt_ins=helpers,
        pending=pending,
        free_bytes=free,
        attention=attention,
    )
