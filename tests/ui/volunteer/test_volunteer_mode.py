"""Volunteer mode as a volunteer (and a curious passer-by) would meet it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date

from PySide6.QtCore import QPoint, Qt
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select

from kiosk.app import build_kiosk
from kiosk.demo import fill_demo
from kiosk.flow import Step
from kiosk.store.models import Signature, SyncState
from kiosk.store.repository import count_signatures, current_event, pending_count
from kiosk.ui.volunteer.panel import PANEL_IDLE_SECONDS
from kiosk.ui.volunteer.pin_page import PinMode
from kiosk.volunteer.pin import FIRST_LOCK_SECONDS, MAX_TRIES
from sync.status import SyncStatus
from tests.conftest import make_pledge
from tests.ui.volunteer.conftest import PIN, close_kiosk, enter_pin, fill_missing_screens, settle

HOLD_MS = 80
CORNER = QPoint(12, 12)


def hold_corner(qtbot, kiosk, point: QPoint = CORNER, release_after: int | None = None):
    """Press where a finger would, on whatever widget is there."""
    window = kiosk.window
    target = window.childAt(point) or window
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, point))
    if release_after is not None:
        qtbot.wait(release_after)
        qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, point))


def sign_through_the_flow(qtbot, kiosk, name: str = "Åsa Öberg") -> str:
    pledge = make_pledge(name)
    flow = kiosk.flow
    flow.start()
    assert flow.submit_commitments(list(pledge.commitments))
    assert flow.submit_details(name=name, consent=True)
    with qtbot.waitSignal(flow.saved, timeout=5000) as saved:
        assert flow.submit_signature(pledge.strokes)
    return saved.args[0]


def test_long_press_in_the_corner_then_pin_opens_the_panel(qtbot, make_kiosk):
    kiosk = make_kiosk()
    kiosk.volunteer.detector.hold_timer.setInterval(HOLD_MS)
    panel = kiosk.volunteer.panel
    assert not panel.is_open()
    with qtbot.waitSignal(kiosk.volunteer.detector.triggered, timeout=2000):
        hold_corner(qtbot, kiosk)
    assert panel.is_open() and panel.current_page() == "pin"
    assert panel.pin_page.mode is PinMode.ENTER
    assert not panel.header.isVisibleTo(panel)  # nothing of the panel before the PIN
    enter_pin(qtbot, panel, PIN)
    assert panel.unlocked and panel.current_page() == "dashboard"


def test_a_tap_or_a_press_elsewhere_does_nothing(qtbot, make_kiosk):
    kiosk = make_kiosk()
    detector = kiosk.volunteer.detector
    detector.hold_timer.setInterval(500)  # long enough that a loaded machine still taps in time
    with qtbot.assertNotEmitted(detector.triggered, wait=700):
        hold_corner(qtbot, kiosk, release_after=0)
    with qtbot.assertNotEmitted(detector.triggered, wait=700):
        hold_corner(qtbot, kiosk, point=QPoint(640, 12))
    assert not kiosk.volunteer.panel.is_open()


def test_wrong_pins_lock_the_panel_until_the_clock_moves_on(qtbot, make_kiosk, clock):
    kiosk = make_kiosk()
    panel = kiosk.volunteer.panel
    panel.request_open()
    for _ in range(MAX_TRIES - 1):
        enter_pin(qtbot, panel, "9999")
    assert "1" in panel.pin_page.message.text()  # one try left
    enter_pin(qtbot, panel, "9999")
    assert not panel.pin_page.pad.isEnabled()
    assert str(FIRST_LOCK_SECONDS) in panel.pin_page.message.text()
    panel.pin_page.on_entered(PIN)  # even the right PIN, sent past the disabled pad
    assert not panel.unlocked
    clock.advance(FIRST_LOCK_SECONDS)
    panel.pin_page.refresh_lock()  # what the once-a-second countdown tick does
    assert panel.pin_page.pad.isEnabled()
    enter_pin(qtbot, panel, PIN)
    assert panel.unlocked


def test_first_start_asks_for_a_pin_twice_then_the_event(qtbot, make_kiosk, store):
    kiosk = make_kiosk(with_pin=False, with_event=False)
    panel = kiosk.volunteer.panel
    assert panel.is_open() and panel.pin_page.mode is PinMode.CHOOSE
    enter_pin(qtbot, panel, "12")
    assert panel.pin_page.mode is PinMode.CHOOSE  # too short
    enter_pin(qtbot, panel, "482916")
    assert panel.pin_page.mode is PinMode.CONFIRM
    enter_pin(qtbot, panel, "482917")
    assert panel.pin_page.mode is PinMode.CHOOSE  # mismatch: start over
    enter_pin(qtbot, panel, "482916")
    enter_pin(qtbot, panel, "482916")
    assert panel.unlocked and panel.current_page() == "event"
    assert kiosk.controller.keeper.check("482916").ok
    page = panel.event_page
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert page.error.isVisibleTo(page)  # a name is needed
    qtbot.keyClicks(page.name_edit, "Råå hamnmarknad")
    qtbot.keyClicks(page.place_edit, "Råå hamn")
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    with store.session() as session:
        assert current_event(session).name == "Råå hamnmarknad"
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert not panel.is_open()
    kiosk.flow.start()
    assert kiosk.flow.step is Step.COMMITMENTS


def test_enter_goes_on_field_by_field_then_starts_the_event(qtbot, make_kiosk, store):
    """With the on-screen keyboard up the next field is under it; ↵ goes on to it
    instead, and in the last field starts the event as the button does."""
    kiosk = make_kiosk()
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    panel.show_page("event")
    settle(qtbot, kiosk)
    page = panel.event_page

    def type_then_enter(field, text: str) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(field, text)
        qtbot.keyClick(field, Qt.Key.Key_Return)

    type_then_enter(page.name_edit, "Råå hamnmarknad")
    assert kiosk.window.focusWidget() is page.place_edit
    type_then_enter(page.place_edit, "Råå hamn")
    assert kiosk.window.focusWidget() is page.volunteers_edit
    type_then_enter(page.volunteers_edit, "")
    settle(qtbot, kiosk)
    with store.session() as session:
        assert current_event(session).name == "Råå hamnmarknad"
    assert not page.volunteers_edit.hasFocus()  # started: nothing to type, the keyboard goes
    assert kiosk.window.focusWidget() not in (page.name_edit, page.place_edit, page.volunteers_edit)
    panel.show_page("sync")
    settle(qtbot, kiosk)
    sync = panel.sync_page
    type_then_enter(sync.server_field, "https://klimatavtal.example")
    assert kiosk.window.focusWidget() is sync.token_field


def test_no_pledge_starts_without_an_event(qtbot, make_kiosk):
    kiosk = make_kiosk(with_event=False)
    panel = kiosk.volunteer.panel
    panel.leave()
    with qtbot.waitSignal(kiosk.flow.start_refused):
        kiosk.flow.start()
    assert kiosk.flow.step is Step.ATTRACT
    assert panel.is_open() and panel.pin_page.reason.text()


def test_signatures_carry_the_current_event(qtbot, make_kiosk, store):
    kiosk = make_kiosk()
    signature_id = sign_through_the_flow(qtbot, kiosk)
    with store.session() as session:
        assert session.get(Signature, signature_id).event_id == current_event(session).id


def test_practice_is_marked_never_counted_and_deleted(qtbot, make_kiosk, store):
    kiosk = make_kiosk()
    real_id = sign_through_the_flow(qtbot, kiosk, "Erik Riktig")
    kiosk.flow.reset()
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    qtbot.mouseClick(panel.practice_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    banner = kiosk.volunteer.practice_banner
    assert banner.isVisible() and banner.text() == kiosk.flow.words("practice.banner")
    kiosk.flow.start()
    assert banner.isVisible()  # on the flow's screens too
    kiosk.flow.reset()
    practice_id = sign_through_the_flow(qtbot, kiosk, "Övning Övningsson")
    with store.session() as session:
        row = session.get(Signature, practice_id)
        assert (row.practice, row.sync_state) == (True, SyncState.NEVER)
        assert count_signatures(session) == 1 and pending_count(session) == 1
    # the real signature counts on top of the last known total; the practice one does not
    assert kiosk.attract.count == kiosk.content.campaign.last_known_total + 1
    kiosk.flow.reset()
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    qtbot.mouseClick(panel.practice_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert "1" in panel.notice.text()  # "1 practice signatures were deleted"
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert not banner.isVisible()
    with store.session() as session:
        assert session.scalars(select(Signature.id)).all() == [real_id]


def test_leaving_the_panel_returns_to_the_attract_screen(qtbot, make_kiosk):
    kiosk = make_kiosk()
    kiosk.flow.start()
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert kiosk.flow.step is Step.ATTRACT
    assert kiosk.window.current_screen() is kiosk.attract


def test_the_panel_closes_itself_when_left_alone(qtbot, make_kiosk, clock):
    kiosk = make_kiosk()
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    clock.advance(PANEL_IDLE_SECONDS - 1)
    panel.check_idle()  # what the idle timer's tick does
    assert panel.is_open()
    qtbot.mouseClick(panel.tabs["event"], Qt.MouseButton.LeftButton)  # a volunteer at work
    clock.advance(PANEL_IDLE_SECONDS - 1)
    panel.check_idle()
    assert panel.is_open()
    clock.advance(1)
    with qtbot.waitSignal(panel.closed, timeout=1000):
        panel.check_idle()
    assert not panel.is_open() and not panel.unlocked
    assert kiosk.flow.step is Step.ATTRACT


def test_ending_the_event_takes_two_taps(qtbot, make_kiosk, store):
    kiosk = make_kiosk()
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    qtbot.mouseClick(panel.tabs["event"], Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    page = panel.event_page
    qtbot.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert page.end_button.text() == kiosk.flow.words("volunteer.event_end_confirm")
    page.disarm_end()  # what the 5-second timer does when no second tap comes
    qtbot.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    with store.session() as session:
        assert current_event(session) is not None
    qtbot.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    with store.session() as session:
        assert current_event(session) is None
    assert not page.end_button.isEnabled()
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    kiosk.flow.start()
    assert kiosk.flow.step is Step.ATTRACT  # no event, no pledge


def test_the_dashboard_shows_the_stores_figures(qtbot, make_kiosk, store, content):
    fill_demo(store, content, count=200, seed=3, today=date.today())
    kiosk = make_kiosk(with_event=False)  # the demo chose the current event
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    assert panel.current_page() == "dashboard"
    connection = sqlite3.connect(store.path)
    try:
        [(today,)] = connection.execute(
            "SELECT count(*) FROM signatures WHERE practice = 0 AND local_date = ?",
            (date.today().isoformat(),),
        ).fetchall()
        [(pending,)] = connection.execute(
            "SELECT count(*) FROM signatures WHERE sync_state = 'pending'"
        ).fetchall()
    finally:
        connection.close()
    dashboard = panel.dashboard
    assert dashboard.value_text("today") == str(today) != "0"
    assert dashboard.value_text("pending") == str(pending)
    assert dashboard.value_text("sync") == kiosk.flow.words("volunteer.dash_sync_not_set_up")
    assert sum(dashboard.chart.per_hour.values()) == today
    never_sent = SyncStatus(
        enrolled=True,
        server_url="https://klimat.example",
        pending=pending,
        refused=0,
        last_success_utc=None,
        last_error=None,
        store_total=None,
        attract_count=0,
    )
    kiosk.controller.on_sync_status(never_sent)  # what the sync worker reports
    assert dashboard.value_text("sync") == kiosk.flow.words("volunteer.dash_sync_never")


def test_an_unreadable_store_does_not_stop_the_start_button(qtbot, make_kiosk, store):
    """The save reports a broken store in plain words; starting must not crash first."""
    kiosk = make_kiosk()

    def refuse_writes(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA query_only=ON")

    sqlalchemy_event.listen(store.engine, "connect", refuse_writes)
    store.engine.dispose()
    try:
        kiosk.flow.toggle_language()  # the panel's words change without reading the store
        kiosk.flow.start()
        assert kiosk.flow.step is Step.COMMITMENTS
    finally:
        sqlalchemy_event.remove(store.engine, "connect", refuse_writes)
        store.engine.dispose()


def test_volunteer_mode_defers_its_database_code_until_the_store_opens():
    """The kiosk paints its first screen before the store opens; volunteer mode's
    store-bound parts (panel, PIN, dashboard, practice) load with the store."""
    deferred = (
        "kiosk.ui.volunteer.panel",
        "kiosk.volunteer.pin",
        "kiosk.volunteer.practice",
        "kiosk.store.dashboard",
    )
    code = (
        "import sys, kiosk.ui.volunteer.mode, kiosk.ui.volunteer.keyboard, "
        f"kiosk.volunteer.settings; print([m for m in {deferred!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_before_the_store_opens_a_signer_may_begin(qtbot, store, content, stall_event):
    """A kiosk that opens its store in the background must not refuse the first tap."""
    kiosk = build_kiosk(None, content)
    fill_missing_screens(kiosk.window)
    kiosk.flow.start()
    assert kiosk.flow.step is Step.COMMITMENTS
    kiosk.flow.reset()
    kiosk.attach_store(store)
    settle(qtbot, kiosk)
    kiosk.flow.start()
    assert kiosk.flow.step is Step.COMMITMENTS  # the stall has an event
    close_kiosk(qtbot, kiosk)


def test_with_no_event_the_panel_asks_for_one_once_the_store_says_so(qtbot, store, content):
    kiosk = build_kiosk(None, content)
    fill_missing_screens(kiosk.window)
    kiosk.attach_store(store)
    settle(qtbot, kiosk)
    assert kiosk.panel is not None and kiosk.panel.is_open()
    kiosk.panel.leave()
    kiosk.flow.start()
    assert kiosk.flow.step is Step.ATTRACT
    close_kiosk(qtbot, kiosk)
