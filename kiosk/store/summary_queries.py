"""Counts for a printed summary, aggregated in SQL.

Every figure is a GROUP BY over the running-total tables (summary_hourly,
summary_areas, summary_commitments) that SQLite triggers keep exact as
signatures are stored, changed or deleted. Those tables hold one row per
event, day and hour (or area, or commitment), so a campaign of 100,000
signatures summarises about as fast as one of 1,000; a GROUP BY over the
signature rows themselves grew with the campaign (each row also carries its
strokes). Practice signatures are never counted, and nothing here returns a
name, an email or a full postcode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.store.models import Event, SummaryArea, SummaryCommitment, SummaryHourly

# Postcode areas with fewer signers than this are merged into "other areas",
# so a summary handed to a politician cannot single out a household.
MIN_AREA_COUNT = 5
# The summary names the largest areas only; the rest are "other areas", so a
# campaign reaching the whole country still fits on a page.
MAX_AREAS = 15


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
    postcode_areas: list[tuple[str, int]]  # the largest 3-digit areas (>= MIN_AREA_COUNT)
    other_areas: int  # signers in every other area, merged
    no_postcode: int
    events: list[EventRow] = field(default_factory=list)


def _in_scope(scope: SummaryScope, table: Any) -> list[Any]:
    if scope.event_id is not None:
        return [table.event_id == scope.event_id]
    return [table.local_date.between(scope.start, scope.end)]


def summarise(session: Session, scope: SummaryScope) -> SummaryData:
    """Every figure of a summary, from the running-total tables (see models.py)."""
    buckets = session.execute(
        select(
            SummaryHourly.local_date,
            SummaryHourly.hour,
            func.sum(SummaryHourly.signatures),
            func.sum(SummaryHourly.community_opt_ins),
            func.sum(SummaryHourly.helper_opt_ins),
            func.sum(SummaryHourly.in_helsingborg),
        )
        .where(*_in_scope(scope, SummaryHourly), SummaryHourly.signatures > 0)
        .group_by(SummaryHourly.local_date, SummaryHourly.hour)
    ).all()
    per_day: dict[date, int] = {}
    per_hour: dict[int, int] = {}
    total = community = helpers = local = 0
    for day, hour_of_day, count, opted_community, opted_help, lives_here in buckets:
        per_day[day] = per_day.get(day, 0) + count
        per_hour[hour_of_day] = per_hour.get(hour_of_day, 0) + count
        total += count
        community += opted_community
        helpers += opted_help
        local += lives_here

    area_count = func.sum(SummaryArea.signatures)
    areas = session.execute(
        select(SummaryArea.postcode_area, area_count)
        .where(*_in_scope(scope, SummaryArea))
        .group_by(SummaryArea.postcode_area)
        .having(area_count > 0)
        .order_by(area_count.desc(), SummaryArea.postcode_area)
    ).all()
    shown = [(area, n) for area, n in areas if area and n >= MIN_AREA_COUNT][:MAX_AREAS]
    other = sum(n for area, n in areas if area) - sum(n for _area, n in shown)
    no_postcode = sum(n for area, n in areas if not area)

    chosen_count = func.sum(SummaryCommitment.chosen)
    chosen = session.execute(
        select(SummaryCommitment.commitment_id, chosen_count)
        .where(*_in_scope(scope, SummaryCommitment))
        .group_by(SummaryCommitment.commitment_id)
        .having(chosen_count > 0)
        .order_by(chosen_count.desc(), SummaryCommitment.commitment_id)
    ).all()

    # Events held: those in the scope even if nobody signed, and any older
    # event that a several-day stall kept signing into.
    signed = (
        select(SummaryHourly.event_id, func.sum(SummaryHourly.signatures).label("n"))
        .where(*_in_scope(scope, SummaryHourly))
        .group_by(SummaryHourly.event_id)
        .subquery()
    )
    if scope.event_id is not None:
        held: Any = Event.id == scope.event_id
    else:
        held = or_(Event.date.between(scope.start, scope.end), signed.c.n > 0)
    events = session.execute(
        select(Event.name, Event.place, Event.date, func.coalesce(signed.c.n, 0))
        .outerjoin(signed, signed.c.event_id == Event.id)
        .where(held)
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
