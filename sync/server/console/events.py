"""Events: the campaign's calendar of upcoming stalls (name, place, date).

Kiosks fetch it at sync (`GET /api/v1/calendar`); volunteers pick one instead
of typing it on the touchscreen.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from sync.server.console.deps import ConfigDep, DbDep, FormDep, Organiser, audit_action
from sync.server.console.render import page
from sync.server.models import CalendarEvent

router = APIRouter(prefix="/console/events")


def _parse(form: dict[str, str]) -> tuple[str, str, date] | None:
    name, place = form.get("name", "").strip(), form.get("place", "").strip()
    try:
        day = date.fromisoformat(form.get("date", "").strip())
    except ValueError:
        return None
    if not (0 < len(name) <= 120 and 0 < len(place) <= 120):
        return None
    return name, place, day


def _list(request: Request, db: DbDep, login: Organiser, **values: Any) -> Response:
    rows = list(db.scalars(select(CalendarEvent).order_by(CalendarEvent.date, CalendarEvent.name)))
    values.setdefault("error", False)
    values.setdefault("editing", None)
    return page(request, "events.html", login=login, events=rows, **values)


@router.get("")
def events(request: Request, db: DbDep, login: Organiser) -> Response:
    return _list(request, db, login)


@router.get("/{event_id}")
def edit_form(request: Request, db: DbDep, login: Organiser, event_id: str) -> Response:
    event = db.get(CalendarEvent, event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    return _list(request, db, login, editing=event)


@router.post("")
def save(
    request: Request, db: DbDep, config: ConfigDep, login: Organiser, form: FormDep
) -> Response:
    parsed = _parse(form)
    event_id = form.get("id") or None
    event = db.get(CalendarEvent, event_id) if event_id else None
    if parsed is None or (event_id and event is None):
        return _list(request, db, login, error=True, editing=event, status_code=400)
    name, place, day = parsed
    if event is None:
        event = CalendarEvent(id=str(uuid.uuid4()))
        db.add(event)
        action = "event.added"
    else:
        action = "event.changed"
    event.name, event.place, event.date, event.updated_at_utc = name, place, day, config.clock()
    audit_action(
        request, config, db, login, action=action, detail=f"{day.isoformat()} {name}, {place}"
    )
    db.commit()
    return RedirectResponse("/console/events", status_code=303)
