"""Counts for a printed summary, aggregated in SQL.

Every figure is a GROUP BY in SQLite that returns a handful of rows, so a
campaign of 100,000 signatures summarises about as fast as one of 1,000:
no signature row is ever loaded into Python. Practice signatures are left
out, and nothing here returns a name, an email or a full postcode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from kiosk.store.models import Event, Signature, SignatureCommitment

# Postcode areas with fewer signers than this are merged into "other areas",
# so a summary handed to a politician cannot single out a household.
MIN_AREA_COUNT = 5


@dataclass(frozen=True)
class SummaryScope:
    """One event, or every event between two local dates (inclusive)."""

    event_id: str | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if (self.event_id is None) == (self.start is None or self.end is None):
            raise ValueError("a summary covers either one event or a start and end date")
        if self.start and self.end and self.start > self.end:
            raise ValueError("the start date is after the end date")

    def where(self) -> list[Any]:
        conditions: list[Any] = [Signature.practice.is_(False)]
        if self.event_id is not None:
            conditions.append(Signature.event_id == self.event_id)
        else:
            conditions.append(Signature.local_date.between(self.start, self.end))
        return conditions


@dataclass(frozen=True)
class EventRow:
    name: str
    place: str
    date: date
    signatures: int


@dataclass(frozen=True)
class SummaryData:
    """Everything a summary shows; counts only."""

    total: int
    community_opt_ins: int
    helper_opt_ins: int
    in_helsingborg: int
    per_day: list[tuple[date, int]]
    per_hour: list[tuple[int, int]]  # local hour of day 0-23
    commitments: list[tuple[str, int]]  # commitment id, most chosen first
    postcode_areas: list[tuple[str, int]]  # 3-digit areas with >= MIN_AREA_COUNT
    other_areas: int  # signers in smaller areas, merged
    no_postcode: int
    events: list[EventRow] = field(default_factory=list)


def _local_hour() -> Any:
    """The signer's local hour: stored UTC shifted by the offset kept beside it."""
    offset = Signature.utc_offset_minutes.concat(" minutes")
    shifted = func.strftime("%H", Signature.created_at_utc, offset)
    return cast(shifted, Integer)


def summarise(session: Session, scope: SummaryScope) -> SummaryData:
    where = scope.where()
    hour = _local_hour().label("hour")
    buckets = session.execute(
        select(
            Signature.local_date,
            hour,
            func.count(),
            func.sum(cast(Signature.community_opt_in, Integer)),
            func.sum(cast(Signature.helper_opt_in, Integer)),
            func.sum(cast(Signature.lives_or_works_in_helsingborg, Integer)),
        )
        .where(*where)
        .group_by(Signature.local_date, hour)
    ).all()
    per_day: dict[date, int] = {}
    per_hour: dict[int, int] = {}
    total = community = helpers = local = 0
    for day, hour_of_day, count, opted_community, opted_help, lives_here in buckets:
        per_day[day] = per_day.get(day, 0) + count
        per_hour[hour_of_day] = per_hour.get(hour_of_day, 0) + count
        total += count
        community += opted_community or 0
        helpers += opted_help or 0
        local += lives_here or 0

    areas = session.execute(
        select(Signature.postcode_area, func.count())
        .where(*where)
        .group_by(Signature.postcode_area)
        .order_by(func.count().desc(), Signature.postcode_area)
    ).all()
    shown = [(area, n) for area, n in areas if area is not None and n >= MIN_AREA_COUNT]
    other = sum(n for area, n in areas if area is not None and n < MIN_AREA_COUNT)
    no_postcode = sum(n for area, n in areas if area is None)

    chosen = session.execute(
        select(SignatureCommitment.commitment_id, func.count())
        .join(Signature, Signature.id == SignatureCommitment.signature_id)
        .where(*where)
        .group_by(SignatureCommitment.commitment_id)
        .order_by(func.count().desc(), SignatureCommitment.commitment_id)
    ).all()

    # Events held: those in the scope even if nobody signed, and any older
    # event that several-day stalls kept signing into.
    if scope.event_id is not None:
        held: Any = Event.id == scope.event_id
    else:
        held = or_(
            Event.date.between(scope.start, scope.end),
            Event.id.in_(select(Signature.event_id).where(*where)),
        )
    events = session.execute(
        select(Event.name, Event.place, Event.date, func.count(Signature.id))
        .outerjoin(Signature, and_(Signature.event_id == Event.id, *where))
        .where(held)
        .group_by(Event.id)
        .order_by(Event.date, Event.created_at_utc)
    ).all()

    return SummaryData(
        total=total,
        community_opt_ins=community,
        helper_opt_ins=helpers,
        in_helsingborg=local,
        per_day=sorted(per_day.items()),
        per_hour=sorted(per_hour.items()),
        commitments=[(cid, n) for cid, n in chosen],
        postcode_areas=shown,
        other_areas=other,
        no_postcode=no_postcode,
        events=[EventRow(*row) for row in events],
    )
