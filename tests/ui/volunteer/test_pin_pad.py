"""The PIN pad stays where the finger expects it, however the panel was opened."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt

from kiosk.ui.volunteer.mode import NO_EVENT_REASON
from kiosk.volunteer.settings import KioskSettings, save_settings
from tests.ui.volunteer.conftest import enter_pin, settle

ALL = ("sv", "en", "ar")


def key_position(kiosk, digit: str = "5") -> QPoint:
    key = kiosk.volunteer.panel.pin_page.pad.digit_buttons[digit]
    return key.mapTo(kiosk.window, QPoint(0, 0))


def open_panel(qtbot, kiosk, reason: str = "") -> None:
    kiosk.volunteer.open_panel(reason)
    settle(qtbot, kiosk)
    qtbot.wait(10)  # one turn of the event loop: layouts run


def test_the_pad_is_in_the_same_place_opened_by_gesture_or_by_a_missing_event(qtbot, make_kiosk):
    kiosk = make_kiosk()
    kiosk.window.resize(1366, 768)
    panel = kiosk.volunteer.panel
    open_panel(qtbot, kiosk)
    by_gesture = key_position(kiosk)
    panel.leave()
    open_panel(qtbot, kiosk, NO_EVENT_REASON)
    assert panel.pin_page.reason.text()  # the reason is said ...
    assert key_position(kiosk) == by_gesture  # ... without moving a key
    centre = kiosk.window.width() / 2
    pad = panel.pin_page.pad
    assert abs(pad.mapTo(kiosk.window, pad.rect().center()).x() - centre) <= 2


def test_typing_and_error_lines_never_move_the_keys(qtbot, make_kiosk):
    kiosk = make_kiosk()
    kiosk.window.resize(1366, 768)
    panel = kiosk.volunteer.panel
    open_panel(qtbot, kiosk, NO_EVENT_REASON)
    before = {d: key_position(kiosk, d) for d in "0123456789"}
    qtbot.mouseClick(panel.pin_page.pad.digit_buttons["4"], Qt.MouseButton.LeftButton)
    qtbot.wait(10)
    assert {d: key_position(kiosk, d) for d in before} == before
    enter_pin(qtbot, panel, "9999")  # wrong: a message line appears
    qtbot.wait(10)
    assert panel.pin_page.message.text()
    assert {d: key_position(kiosk, d) for d in before} == before


def test_choosing_a_trivial_pin_says_why_and_keeps_asking(qtbot, make_kiosk):
    kiosk = make_kiosk(with_pin=False)
    panel = kiosk.volunteer.panel
    open_panel(qtbot, kiosk)
    enter_pin(qtbot, panel, "1234")
    page = panel.pin_page
    assert page.mode.value == "choose"
    assert page.message.text() == kiosk.flow.words("volunteer.pin_straight_run")


@pytest.mark.parametrize("large_text", [False, True], ids=["text", "large text"])
def test_high_contrast_shows_no_stray_scrollbar_on_the_pin_screen(qtbot, make_kiosk, large_text):
    kiosk = make_kiosk()
    kiosk.window.resize(1366, 768)
    volunteer = kiosk.volunteer
    volunteer.apply_settings(replace(volunteer.settings, high_contrast=True, large_text=large_text))
    open_panel(qtbot, kiosk, NO_EVENT_REASON)
    enter_pin(qtbot, volunteer.panel, "9999")  # a message line too
    qtbot.wait(10)
    assert not volunteer.panel.scroll_area.verticalScrollBar().isVisible()


def test_arabic_at_large_text_shows_every_title_whole_and_the_pad_as_on_a_phone(
    qtbot, make_kiosk, store
):
    with store.session() as session:
        save_settings(
            session,
            replace(KioskSettings(), languages=ALL, default_language="ar", large_text=True),
        )
        session.commit()
    kiosk = make_kiosk(with_pin=False)
    kiosk.window.resize(1366, 768)
    panel = kiosk.volunteer.panel
    open_panel(qtbot, kiosk)
    page = panel.pin_page
    assert page.title.text() == "اختر رمز PIN للمتطوعين (4–8 أرقام)"
    for _ in ("choose", "confirm"):
        title = page.title
        assert title.height() >= title.heightForWidth(title.width())  # no line cut off
        cancel = page.cancel_button
        assert cancel.mapTo(kiosk.window, cancel.rect().bottomLeft()).y() < kiosk.window.height()
        enter_pin(qtbot, panel, "2580")
        qtbot.wait(10)
    digits = page.pad.digit_buttons
    assert key_position(kiosk, "1").x() < key_position(kiosk, "3").x()  # not mirrored
    assert digits["1"].layoutDirection() is Qt.LayoutDirection.LeftToRight
