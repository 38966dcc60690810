"""`GET /api/v1/calendar`: the campaign's upcoming events for a kiosk, by device token.

A kiosk fetches it at sync and offers the events as buttons; it uses an
event's `id` as its own event id, so the counts meet on the overview.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import select

from sync.protocol import API_PREFIX
from sync.server.console.deps import ConfigDep, DbDep
from sync.server.devices import device_for_token
from sync.server.models import CalendarEvent, Device

router = APIRouter(prefix=API_PREFIX)
_bearer = HTTPBearer(auto_error=False)
# Events stay in the list for a day after their date (a market runs late).
KEEP_AFTER = timedelta(days=1)


class CalendarEventOut(BaseModel):
    id: str
    name: str
    place: str
    date: date


class Calendar(BaseModel):
    events: list[CalendarEventOut]


def device_of(
    db: DbDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Device:
    device = None
    if credentials is not None and credentials.scheme.lower() == "bearer":
        device = device_for_token(db, credentials.credentials)
    if device is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "the device token is missing, wrong or revoked; ask an organiser for a new one",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return device


@router.get("/calendar", response_model=Calendar)
def calendar(
    db: DbDep, config: ConfigDep, _device: Annotated[Device, Depends(device_of)]
) -> Calendar:
    """Upcoming events, soonest first."""
    since = config.clock().date() - KEEP_AFTER
    rows = db.scalars(
        select(CalendarEvent)
        .where(CalendarEvent.date >= since)
        .order_by(CalendarEvent.date, CalendarEvent.name)
    )
    return Calendar(
        events=[CalendarEventOut(id=e.id, name=e.name, place=e.place, date=e.date) for e in rows]
    )
