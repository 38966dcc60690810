"""The panel's controller without a screen: a real SQLite file, a Qt event loop, no widgets.

Every answer comes back as a signal, after the work ran off the GUI thread;
the tests wait for the signal (never for time) and read the store back.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication

from kiosk.app import StoreSlot
from kiosk.store.repository import current_event, open_events
from kiosk.volunteer.controller import PanelController
from kiosk.volunteer.pin import FIRST_LOCK_SECONDS, MAX_TRIES, PinKeeper
from kiosk.volunteer.practice import is_practice
from kiosk.volunteer.settings import KioskSettings, load_settings
from tests.conftest import make_pledge
from tests.fake_clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def controller(qtbot, store, clock):  # type: ignore[no-untyped-def]
    made = PanelController(StoreSlot(store), clock=clock)
    made.keeper = PinKeeper(store, clock=clock)
    yield made
    made.stop()


def ask(qtbot, signal, request):  # type: ignore[no-untyped-def]
    """Make a request and return what `signal` carried."""
    with qtbot.waitSignal(signal, timeout=10_000) as blocker:
        request()
    return blocker.args[0] if blocker.args else None


def test_without_an_event_no_pledge_may_start_until_one_is_started(qtbot, controller, store):
    assert controller.may_start()  # unknown yet: a signer may begin while the store opens
    state = ask(qtbot, controller.started, controller.load_start_state)
    assert (state.has_event, state.practice, state.settings) == (False, False, KioskSettings())
    assert not controller.may_start()

    errors = ask(
        qtbot,
        controller.event_refused,
        lambda: controller.start_event(name="  ", place="", volunteers="", event_date=date.today()),
    )
    assert errors == {"name": "volunteer.event_name_required"}
    assert not controller.may_start()

    view = ask(
        qtbot,
        controller.events_loaded,
        lambda: controller.start_event(
            name="Råå hamnmarknad", place="Råå hamn", volunteers="Elin", event_date=date.today()
        ),
    )
    assert view.current == ("Råå hamnmarknad", date.today().isoformat())
    assert [choice.name for choice in view.open] == ["Råå hamnmarknad"]
    assert controller.may_start()
    with store.read_session() as session:
        assert current_event(session).place == "Råå hamn"


def test_ending_the_event_stops_pledges_and_it_cannot_be_chosen_again(
    qtbot, controller, store, stall_event
):
    ask(qtbot, controller.events_loaded, controller.load_events)
    assert controller.may_start()
    view = ask(qtbot, controller.events_loaded, controller.end_event)
    assert view.current is None and view.open == ()
    assert not controller.may_start()
    with store.read_session() as session:
        assert open_events(session) == []
    failure = ask(qtbot, controller.failed, lambda: controller.choose_event(stall_event.id))
    assert failure.kind == "other"  # said on the panel, never swallowed


def test_the_pin_is_chosen_checked_and_locks_on_the_clock(qtbot, controller, clock):
    state = ask(qtbot, controller.pin_state_loaded, controller.load_pin_state)
    assert not state.has_pin
    ask(qtbot, controller.pin_saved, lambda: controller.set_pin("482916"))
    assert ask(qtbot, controller.pin_checked, lambda: controller.check_pin("482916")).ok
    for _ in range(MAX_TRIES - 1):
        ask(qtbot, controller.pin_checked, lambda: controller.check_pin("0000"))
    locked = ask(qtbot, controller.pin_checked, lambda: controller.check_pin("0000"))
    assert not locked.ok and locked.locked_for == FIRST_LOCK_SECONDS
    assert not ask(qtbot, controller.pin_checked, lambda: controller.check_pin("482916")).ok
    clock.advance(FIRST_LOCK_SECONDS)
    assert ask(qtbot, controller.pin_state_loaded, controller.load_pin_state).locked_for == 0
    assert ask(qtbot, controller.pin_checked, lambda: controller.check_pin("482916")).ok


def test_practice_on_then_off_deletes_the_practice_signatures(
    qtbot, controller, store, stall_event
):
    from kiosk.volunteer.events import save_to_current_event

    change = ask(qtbot, controller.practice_toggled, controller.toggle_practice)
    assert change.practice and controller.practice
    save_to_current_event(store, make_pledge("Övning Övningsson"))
    change = ask(qtbot, controller.practice_toggled, controller.toggle_practice)
    assert (change.practice, change.deleted) == (False, 1)
    with store.read_session() as session:
        assert not is_practice(session)


def test_bad_settings_change_nothing_good_ones_are_saved(qtbot, controller, store, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[campaign\n", encoding="utf-8")
    refused = ask(
        qtbot,
        controller.settings_refused,
        lambda: controller.save_settings(KioskSettings(content_file=str(broken), idle_seconds=90)),
    )
    assert [p.key for p in refused.problems] == ["volunteer.settings_content"]
    with store.read_session() as session:
        assert load_settings(session) == KioskSettings()

    saved = ask(
        qtbot,
        controller.settings_saved,
        lambda: controller.save_settings(KioskSettings(idle_seconds=90, printer_name=" Stall ")),
    )
    assert (saved.idle_seconds, saved.printer_name) == (90, "Stall")
    ask(qtbot, controller.printer_saved, lambda: controller.save_printer("Receipts"))
    view = ask(qtbot, controller.settings_loaded, controller.load_settings)
    assert (view.settings.idle_seconds, view.settings.printer_name) == (90, "Receipts")
    assert view.enrolled_to == ""


def test_the_dashboard_counts_todays_signatures(qtbot, controller, store, stall_event):
    from kiosk.volunteer.events import save_to_current_event

    for name in ("Åsa Öberg", "Erik Riktig"):
        save_to_current_event(store, make_pledge(name))
    figures = ask(qtbot, controller.dashboard_loaded, controller.load_dashboard).figures
    assert (figures.today, figures.event, figures.event_name) == (2, 2, "Stortorget")
    assert figures.pending == 2


def test_sync_status_is_read_from_the_store_and_followed_after(qtbot, controller):
    status = ask(qtbot, controller.sync_status_changed, controller.load_sync_status)
    assert not status.enrolled and controller.sync_status is status
    with qtbot.assertNotEmitted(controller.sync_now_requested):
        answer = ask(qtbot, controller.sync_answered, controller.sync_now)
    assert (answer.kind, answer.sent) == ("not_set_up", 0)  # it says so, never nothing
    with qtbot.waitSignal(controller.check_requested):
        controller.check_events()


def test_refused_records_are_queued_again_and_sent(qtbot, controller, store, stall_event):
    from kiosk.store.models import Signature, SyncState
    from kiosk.volunteer.events import save_to_current_event

    for name in ("Åsa Öberg", "Erik Riktig"):
        save_to_current_event(store, make_pledge(name))
    with store.session() as session:
        for row in session.query(Signature):
            row.sync_state = SyncState.REFUSED
        session.commit()
    view = ask(qtbot, controller.dashboard_loaded, controller.load_dashboard)
    assert view.refused == 2
    with qtbot.waitSignal(controller.sync_answered):  # and then "Skicka nu"
        assert ask(qtbot, controller.refused_retried, controller.retry_refused) == 2
    with store.session() as session:
        states = {row.sync_state for row in session.query(Signature)}
    assert states == {SyncState.PENDING}
    assert ask(qtbot, controller.pending_loaded, controller.load_pending) == 2


def test_a_wrong_clock_blocks_signing_until_a_volunteer_says_go_on(
    qtbot, controller, clock, stall_event
):
    ask(qtbot, controller.started, controller.load_start_state)
    assert controller.clock_problem() is None and controller.may_start()
    clock.advance(-clock.wall())  # a flat battery: the laptop says 1970
    assert controller.clock_problem().day.year == 1970
    assert not controller.may_start()
    with qtbot.waitSignal(controller.clock_changed):
        controller.acknowledge_clock()
    assert controller.may_start()  # the warning stays on the dashboard


def test_a_write_waits_off_the_gui_thread_while_another_program_holds_the_lock(
    qtbot, controller, store, data_dir
):
    """The freeze this controller removes: while another writer (the sync worker,
    say) holds the lock, the request returns at once and the GUI thread goes on;
    the answer arrives once the lock is let go."""
    other = sqlite3.connect(data_dir / "klimatavtal.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        controller.toggle_practice()  # returns at once: the write waits on the worker
        assert not controller.is_idle()
        QCoreApplication.processEvents()  # the GUI thread keeps turning while the write waits
        assert not controller.is_idle()
        with qtbot.waitSignal(controller.practice_toggled, timeout=10_000) as toggled:
            other.execute("ROLLBACK")
    finally:
        other.close()
    assert toggled.args[0].practice
    with store.read_session() as session:
        assert is_practice(session)


def test_jobs_run_in_the_order_they_were_asked(qtbot, controller):
    seen: list[str] = []
    controller.practice_toggled.connect(lambda change: seen.append(f"toggled {change.practice}"))
    controller.practice_loaded.connect(lambda practice: seen.append(f"loaded {practice}"))
    controller.toggle_practice()
    controller.load_practice()
    controller.toggle_practice()
    controller.load_practice()
    qtbot.waitUntil(controller.is_idle)
    assert seen == ["toggled True", "loaded True", "toggled False", "loaded False"]


def test_the_campaign_calendar_is_offered_and_one_tap_runs_an_event_under_its_id(
    qtbot, controller, store
):
    from datetime import timedelta

    from kiosk.privacy.local import kiosk_outbox
    from sync.outbox import CalendarEntry

    today = controller.today()
    ids = [f"c0ffee00-0000-4000-8000-00000000000{n}" for n in range(3)]
    kiosk_outbox(store).save_calendar(
        [
            CalendarEntry(ids[0], "Höstmarknad", "Råå", today + timedelta(days=9)),
            CalendarEntry(ids[1], "Klädbyte", "Bryggan", today),
            CalendarEntry(ids[2], "Förra veckan", "Torget", today - timedelta(days=7)),
        ]
    )
    view = ask(qtbot, controller.events_loaded, controller.load_events)
    planned = [(p.name, p.place) for p in view.planned]
    assert planned == [("Klädbyte", "Bryggan"), ("Höstmarknad", "Råå")]  # soonest, none past
    assert not view.has_event  # offered, not started: the volunteer chooses

    view = ask(qtbot, controller.events_loaded, lambda: controller.start_planned(view.planned[0]))
    assert view.current == ("Klädbyte", today.isoformat())
    assert [p.name for p in view.planned] == ["Höstmarknad"]  # the one it runs is not offered
    with store.read_session() as session:
        event = current_event(session)
        assert (event.id, event.place) == (ids[1], "Bryggan")  # the console's id: counts meet
