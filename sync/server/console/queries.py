"""What the console's pages read from the store: a few aggregate queries each.

The overview is built from three scans of `signatures` (totals, per event,
per day), so it stays within a small multiple of `/api/v1/stats` however
many signatures the store holds (tests/bench/bench_console.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Integer, case, func, select
from sqlalchemy.orm import Session

from sync.server.models import ConsoleSetting, Device, StoredSignature, StoreEvent
from sync.server.repository import tallies_per_source

GOAL_SETTING = "goal"
CHART_DAYS = 30


@dataclass(frozen=True)
class EventRow:
    name: str
    place: str
    date: date
    count: int
    kiosks: int


@dataclass(frozen=True)
class Overview:
    kiosk_signatures: int
    unique_signers: int
    today: int
    community_opt_ins: int
    helper_opt_ins: int
    sources: dict[str, int]
    events: list[EventRow]
    per_day: list[tuple[date, int]]  # the last CHART_DAYS days, oldest first, zeros included
    goal: int | None
    total: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", self.kiosk_signatures + sum(self.sources.values()))

    @property
    def progress(self) -> float | None:
        return None if not self.goal else min(self.total / self.goal, 1.0)


def _as_int(column: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(func.cast(column, Integer)), 0)


def overview(session: Session, *, today: date, default_goal: int | None = None) -> Overview:
    sig = StoredSignature
    totals = session.execute(
        select(
            func.count(),
            _as_int(sig.duplicate_of.is_(None)),
            _as_int(sig.local_date == today),
            _as_int(case((sig.duplicate_of.is_(None) & sig.community_opt_in, 1), else_=0)),
            _as_int(case((sig.duplicate_of.is_(None) & sig.helper_opt_in, 1), else_=0)),
        ).select_from(sig)
    ).one()
    # Counted per (event, kiosk) from the covering index, then folded per event.
    per_pair = session.execute(
        select(sig.event_id, func.count()).group_by(sig.event_id, sig.device_id)
    ).all()
    counts: dict[str, list[int]] = {}
    for event_id, count in per_pair:
        pair = counts.setdefault(event_id, [0, 0])
        pair[0] += count
        pair[1] += 1
    events = sorted(
        (
            EventRow(e.name, e.place, e.date, *counts[e.id])
            for e in session.scalars(select(StoreEvent).where(StoreEvent.id.in_(list(counts))))
        ),
        key=lambda row: (-row.date.toordinal(), row.name),
    )
    first_day = today - timedelta(days=CHART_DAYS - 1)
    counted = dict(
        session.execute(
            select(sig.local_date, func.count())
            .where(sig.local_date >= first_day, sig.local_date <= today)
            .group_by(sig.local_date)
        ).all()
    )
    per_day = [
        (first_day + timedelta(days=n), counted.get(first_day + timedelta(days=n), 0))
        for n in range(CHART_DAYS)
    ]
    return Overview(
        kiosk_signatures=int(totals[0]),
        unique_signers=int(totals[1]),
        today=int(totals[2]),
        community_opt_ins=int(totals[3]),
        helper_opt_ins=int(totals[4]),
        sources=tallies_per_source(session),
        events=events,
        per_day=per_day,
        goal=campaign_goal(session, default=default_goal),
    )


def campaign_goal(session: Session, *, default: int | None = None) -> int | None:
    """The goal an organiser set in the console; until then `default` (`serve --goal`).

    The one figure both the overview and the public counter show.
    """
    value = session.get(ConsoleSetting, GOAL_SETTING)
    return int(value.value) if value is not None and value.value.isdigit() else default


def set_goal(session: Session, *, value: int | None) -> None:
    row = session.get(ConsoleSetting, GOAL_SETTING)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(ConsoleSetting(key=GOAL_SETTING, value=str(value)))
    else:
        row.value = str(value)


@dataclass(frozen=True)
class KioskRow:
    id: int
    name: str
    created_at_utc: datetime
    revoked_at_utc: datetime | None
    last_seen_at_utc: datetime | None
    last_upload_at_utc: datetime | None
    signatures: int


def kiosks(session: Session) -> list[KioskRow]:
    uploads = (
        select(
            StoredSignature.device_id.label("device_id"),
            func.max(StoredSignature.received_at_utc).label("last_upload"),
            func.count().label("signatures"),
        )
        .group_by(StoredSignature.device_id)
        .subquery()
    )
    rows = session.execute(
        select(Device, uploads.c.last_upload, uploads.c.signatures)
        .outerjoin(uploads, uploads.c.device_id == Device.id)
        .order_by(Device.created_at_utc, Device.id)
    ).all()
    return [
        KioskRow(
            d.id, d.name, d.created_at_utc, d.revoked_at_utc, d.last_seen_at_utc, last, count or 0
        )
        for d, last, count in rows
    ]
