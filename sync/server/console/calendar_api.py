"""`GET /api/v1/calendar`: the campaign's upcoming events for a kiosk, by device token.

A kiosk fetches it at sync and offers the events as buttons; it uses an
event's `id` as its own event id, so the counts meet on the overview.
"""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from sync.protocol import API_PREFIX
from sync.server.console.deps import ConfigDep
from sync.server.dependencies import DeviceDep, SessionDep
from sync.server.models import CalendarEvent

router = APIRouter(prefix=API_PREFIX)
# Events stay in the list for a day after their date (a market runs late).
KEEP_AFTER = timedelta(days=1)


class CalendarEventOut(BaseModel):
    id: str
    name: str
    place: str
    date: date


class Calendar(BaseModel):
    events: list[CalendarEventOut]


@router.get("/calendar", response_model=Calendar)
def calendar(session: SessionDep, config: ConfigDep, _device: DeviceDep) -> Calendar:
    """Upcoming events, soonest first.

    The device check and the query share the request's one session (the check
    notes when the kiosk was last seen, a write: a second session would wait
    for that write lock)."""
    since = config.clock().date() - KEEP_AFTER
    rows = session.scalars(
        select(CalendarEvent)
        .where(CalendarEvent.date >= since)
        .order_by(CalendarEvent.date, CalendarEvent.name)
    )
    calendar = Calendar(
        events=[CalendarEventOut(id=e.id, name=e.name, place=e.place, date=e.date) for e in rows]
    )
    session.commit()  # when the kiosk was last seen
    return calendar
