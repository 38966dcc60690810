"""Choosing, creating and ending the stall's event: the rules (what a name may
be, what "choose" and "end" mean). The queries live with the other event
queries in kiosk.store.repository.

Every signature is tagged with the current event; with none, the kiosk
refuses to start a pledge until a volunteer chooses one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from kiosk.content import load_consent
from kiosk.pledge import Pledge, clean_text
from kiosk.store.engine import Store
from kiosk.store.models import Event
from kiosk.store.repository import (
    SaveError,
    classify_error,
    create_event,
    current_event,
    end_event,
    open_event,
    save_signature,
    set_current_event,
)
from kiosk.volunteer.practice import is_practice

NAME_MAX = 120
PLACE_MAX = 120
VOLUNTEERS_MAX = 500


def check_event(name: str, place: str, volunteers: str) -> dict[str, str]:
    """Field name -> strings.toml key of what is wrong; empty when fine."""
    errors = {}
    if not clean_text(name, NAME_MAX):
        errors["name"] = "volunteer.event_name_required"
    for field, value, limit in (
        ("name", name, NAME_MAX),
        ("place", place, PLACE_MAX),
        ("volunteers", volunteers, VOLUNTEERS_MAX),
    ):
        if len(clean_text(value, limit)) > limit:
            errors[field] = "volunteer.event_too_long"
    return errors


def start_event(
    session: Session,
    *,
    name: str,
    place: str,
    event_date: date,
    volunteers: str = "",
    now: datetime | None = None,
    event_id: str | None = None,
) -> Event:
    """Create an event and make it the current one (check_event it first)."""
    event = create_event(
        session,
        event_id=event_id,
        name=clean_text(name, NAME_MAX),
        place=clean_text(place, PLACE_MAX),
        volunteers=clean_text(volunteers, VOLUNTEERS_MAX),
        event_date=event_date,
        now=now,
    )
    set_current_event(session, event)
    return event


def choose_event(session: Session, event_id: str) -> Event:
    event = open_event(session, event_id)
    if event is None:
        raise LookupError(event_id)
    set_current_event(session, event)
    return event


def end_current_event(session: Session, *, now: datetime | None = None) -> Event | None:
    """End the day: the event is closed and the kiosk has no current event."""
    event = current_event(session)
    if event is not None:
        end_event(event, now=now)
        set_current_event(session, None)
    return event


def save_to_current_event(store: Store, pledge: Pledge, *, now: datetime | None = None) -> str:
    """Save a pledge under the current event, as practice while practice mode is on.

    Without a current event nothing is saved: the flow should not have
    started, and guessing an event would file the signature wrongly.
    """
    try:
        with store.read_session() as session:
            event = current_event(session)
            practice = is_practice(session)
    except Exception as exc:  # a locked or unreadable store: the same plain words
        raise classify_error(exc) from exc
    if event is None:
        raise SaveError("no_event", "no current event")
    return save_signature(
        store,
        pledge,
        event_id=event.id,
        consent=load_consent(pledge.language),
        now=now,
        practice=practice,
    )
