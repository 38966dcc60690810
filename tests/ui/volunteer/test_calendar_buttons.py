"""The campaign's calendar (made in the organisers' console, fetched at sync)
on the panel's event page: one big button per coming event, and a tap runs it."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from kiosk.flow import Step
from kiosk.privacy.local import kiosk_outbox
from kiosk.store.repository import current_event
from sync.outbox import CalendarEntry
from tests.ui.volunteer.conftest import PIN, enter_pin, settle

EVENT_ID = "c0ffee00-0000-4000-8000-000000000001"


def test_a_tap_on_a_calendar_event_starts_it_with_nothing_typed(qtbot, make_kiosk, store):
    kiosk = make_kiosk(with_event=False)
    today = kiosk.controller.today()
    kiosk_outbox(store).save_calendar(
        [CalendarEntry(EVENT_ID, "Klädbyte på Bryggan", "Bryggan", today + timedelta(days=2))]
    )
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    settle(qtbot, kiosk)
    page = panel.event_page
    page.refresh()
    settle(qtbot, kiosk)
    assert page.planned_heading.isVisibleTo(page)
    [start] = page.planned_buttons
    assert "Klädbyte på Bryggan" in start.text() and "Bryggan" in start.text()
    assert start.height() >= 48 and start.width() >= 48  # a finger's target
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    with store.read_session() as session:
        assert current_event(session).id == EVENT_ID
    assert page.planned_buttons == []  # running here: no longer offered
    assert not page.planned_heading.isVisibleTo(page)
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    kiosk.flow.start()
    assert kiosk.flow.step is Step.COMMITMENTS  # signers may begin
