"""What the volunteer panel reads and writes, as plain functions of a Store.

Each function opens its own session, commits what it changes and returns
plain data, so the panel's controller (kiosk.volunteer.controller) can run
it on its worker thread and hand the result to the screens, and a test can
call it on a real SQLite file without Qt. No function here is ever called
on the GUI thread: a write may wait for the sync worker's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from kiosk import system_check
from kiosk.content import load_content, untranslated_texts
from kiosk.i18n import SOURCE_LANGUAGE
from kiosk.store import Store
from kiosk.store.dashboard import Dashboard, collect_dashboard
from kiosk.store.models import Event
from kiosk.store.repository import (
    classify_error,
    current_event,
    get_setting,
    open_events,
    pending_count,
)
from kiosk.volunteer import events
from kiosk.volunteer.pin import PinKeeper, PinResult
from kiosk.volunteer.practice import end_practice, is_practice, start_practice
from kiosk.volunteer.settings import (
    KioskSettings,
    SettingsProblem,
    check_settings,
    load_settings,
    save_settings,
)

if TYPE_CHECKING:
    from kiosk.carry import CarryProblem, CarryWritten, LastCarry
    from sync.status import SyncStatus

MAX_PLANNED = 4  # calendar events offered as buttons at once; the soonest
SERVER_URL_KEY = "sync.server_url"  # sync.client's key; not imported, that loads httpx


@dataclass(frozen=True)
class EventChoice:
    """An open event, as the event page lists it."""

    id: str
    date: date
    name: str
    place: str


@dataclass(frozen=True)
class EventsView:
    """The current event (name, ISO date) and the ones a volunteer may choose."""

    current: tuple[str, str] | None
    open: tuple[EventChoice, ...]
    # Coming events from the campaign's calendar (the console) that this kiosk
    # has not run yet, soonest first: one tap starts one.
    planned: tuple[EventChoice, ...] = ()

    @property
    def has_event(self) -> bool:
        return self.current is not None


@dataclass(frozen=True)
class StartState:
    """What the kiosk needs once the store is open: settings, event, practice."""

    settings: KioskSettings
    has_event: bool
    practice: bool


@dataclass(frozen=True)
class PinState:
    has_pin: bool
    locked_for: float  # seconds until the next try is allowed (0: now)


@dataclass(frozen=True)
class PracticeChange:
    practice: bool  # on after the change
    deleted: int  # practice signatures deleted (when it was turned off)


@dataclass(frozen=True)
class SettingsView:
    settings: KioskSettings
    enrolled_to: str  # the central store's address, "" before enrolment


@dataclass(frozen=True)
class SettingsOutcome:
    """The checked settings and what was wrong; saved only when nothing was."""

    settings: KioskSettings
    problems: tuple[SettingsProblem, ...]
    # Per offered language (not Swedish), where the content file falls back to
    # Swedish (kiosk.content.untranslated_texts); read only once all is well.
    untranslated: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class PrintState:
    event_name: str | None
    printer_name: str


@dataclass(frozen=True)
class Failure:
    """A read or write that did not work, as `save_error.<kind>` words it."""

    kind: str
    detail: str


def failure(error: BaseException) -> Failure:
    explained = classify_error(error)
    return Failure(explained.kind, explained.detail)


# --- start ------------------------------------------------------------------------


def read_start_state(store: Store) -> StartState:
    with store.read_session() as session:
        return StartState(
            settings=load_settings(session),
            has_event=current_event(session) is not None,
            practice=is_practice(session),
        )


# --- events -----------------------------------------------------------------------


def read_events(store: Store, *, today: date) -> EventsView:
    from kiosk.store.outbox import calendar_events  # noqa: PLC0415 - on the worker thread

    with store.read_session() as session:
        event = current_event(session)
        known = set(session.scalars(select(Event.id)))
        planned = tuple(
            EventChoice(entry.id, entry.date, entry.name, entry.place)
            for entry in calendar_events(session)
            if entry.date >= today and entry.id not in known
        )
        return EventsView(
            current=(event.name, event.date.isoformat()) if event else None,
            open=tuple(EventChoice(e.id, e.date, e.name, e.place) for e in open_events(session)),
            planned=planned[:MAX_PLANNED],
        )


def start_event(
    store: Store, *, name: str, place: str, volunteers: str, event_date: date
) -> dict[str, str]:
    """Start a new current event; field -> strings key of what is wrong (then nothing is saved)."""
    errors = events.check_event(name, place, volunteers)
    if errors:
        return errors
    with store.session() as session:
        events.start_event(
            session, name=name, place=place, volunteers=volunteers, event_date=event_date
        )
        session.commit()
    return {}


def start_planned(store: Store, planned: EventChoice) -> None:
    """Run an event from the campaign's calendar here, under the calendar's own id."""
    with store.session() as session:
        if session.get(Event, planned.id) is None:
            events.start_event(
                session,
                name=planned.name,
                place=planned.place,
                event_date=planned.date,
                event_id=planned.id,
            )
        else:  # started here already (another tap, another page): choose it
            events.choose_event(session, planned.id)
        session.commit()


def choose_event(store: Store, event_id: str) -> None:
    with store.session() as session:
        events.choose_event(session, event_id)
        session.commit()


def end_event(store: Store) -> None:
    with store.session() as session:
        events.end_current_event(session)
        session.commit()


# --- PIN --------------------------------------------------------------------------


def read_pin_state(keeper: PinKeeper) -> PinState:
    return PinState(has_pin=keeper.has_pin(), locked_for=keeper.locked_for())


def check_pin(keeper: PinKeeper, digits: str) -> PinResult:
    return keeper.check(digits)


def set_pin(keeper: PinKeeper, digits: str) -> None:
    keeper.set_pin(digits)


# --- practice ---------------------------------------------------------------------


def read_practice(store: Store) -> bool:
    with store.read_session() as session:
        return is_practice(session)


def toggle_practice(store: Store) -> PracticeChange:
    with store.session() as session:
        practice = is_practice(session)
        deleted = 0
        if practice:
            deleted = end_practice(session)
        else:
            start_practice(session)
        session.commit()
    return PracticeChange(practice=not practice, deleted=deleted)


# --- settings ---------------------------------------------------------------------


def read_settings(store: Store) -> SettingsView:
    with store.read_session() as session:
        return SettingsView(load_settings(session), get_setting(session, SERVER_URL_KEY) or "")


def save_checked_settings(store: Store, entered: KioskSettings) -> SettingsOutcome:
    """Check the settings (the content file is read) and save them if all is well."""
    settings, problems = check_settings(entered)
    if problems:
        return SettingsOutcome(settings, tuple(problems))
    with store.session() as session:
        save_settings(session, settings)
        session.commit()
    content = load_content(settings.content_path())
    untranslated = tuple(
        (language, tuple(untranslated_texts(content, language)))
        for language in settings.languages
        if language != SOURCE_LANGUAGE
    )
    return SettingsOutcome(settings, (), untranslated)


def save_printer(store: Store, name: str) -> str:
    """Save the printer as the kiosk's setting (the receipt uses it too)."""
    with store.session() as session:
        save_settings(session, replace(load_settings(session), printer_name=name))
        session.commit()
    return name


# --- dashboard, printing, sync ----------------------------------------------------


@dataclass(frozen=True)
class DashboardView:
    """The store's figures, the refused records the volunteer may send again, and
    the parts of the machine that are missing (the kiosk started without them)."""

    figures: Dashboard
    refused: int
    missing: tuple[system_check.Problem, ...] = ()


def read_dashboard(store: Store, *, today: date) -> DashboardView:
    from kiosk.store.outbox import refused_count  # noqa: PLC0415 - on the worker thread

    with store.read_session() as session:
        return DashboardView(
            collect_dashboard(session, today=today, data_dir=Path(store.path).parent),
            refused_count(session),
            # Looked up here, off the GUI thread: the first look runs `ldconfig -p`.
            tuple(system_check.problems()),
        )


def read_pending(store: Store) -> int:
    """Signatures not yet taken by the central store (what shutting down would leave)."""
    with store.read_session() as session:
        return pending_count(session)


def retry_refused(store: Store) -> int:
    """Queue the refused records again; how many (the sync worker then sends them)."""
    from kiosk.privacy.local import kiosk_outbox  # noqa: PLC0415 - on the worker thread

    return kiosk_outbox(store).retry_refused()


def read_print_state(store: Store) -> PrintState:
    with store.read_session() as session:
        event = current_event(session)
        return PrintState(event.name if event else None, load_settings(session).printer_name)


def read_sync_status(store: Store) -> SyncStatus:
    from kiosk.store.outbox import read_status  # noqa: PLC0415 - on the worker thread

    return read_status(store)


def enrol(store: Store, *, server_url: str, token: str) -> str:
    """Enrol with the central store (one HTTP request); the device's name."""
    from kiosk.privacy.local import kiosk_outbox  # noqa: PLC0415 - on the worker thread
    from sync.enrolment import enroll  # noqa: PLC0415 - httpx, on the worker thread

    return enroll(kiosk_outbox(store), server_url=server_url, token=token)


# --- carry to a USB stick ---------------------------------------------------------


@dataclass(frozen=True)
class CarryReport:
    """What the sync page shows about carry files: the file just written (a
    kiosk.carry.CarryWritten), why none was (a CarryProblem), or None when only the
    last carry was read; and the last carry file written (a LastCarry, or None)."""

    outcome: CarryWritten | CarryProblem | None
    last: LastCarry | None


def carry_to(store: Store, folder: Path | None) -> CarryReport:
    """Write the pending signatures to a carry file in `folder`; with None, only read
    when the last one was written. Nothing is marked sent (kiosk.carry)."""
    from kiosk.carry import last_carry, write_carry_file  # noqa: PLC0415 - on the worker thread

    outcome = write_carry_file(store, folder) if folder is not None else None
    return CarryReport(outcome, last_carry(store))
