"""A built kiosk with volunteer mode, on a real store, with the clock tests move
(the `clock` fixture of tests/ui/conftest.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.app import build_kiosk
from kiosk.flow import Step
from kiosk.volunteer.pin import PinKeeper

PIN = "2030"


def fill_missing_screens(window) -> None:
    """Blank stand-ins for pledge screens this branch does not build (no-op once they exist)."""
    for step in Step:
        if step not in window.screens:
            window.screens[step] = QWidget()
            window.stack.addWidget(window.screens[step])


@pytest.fixture
def make_kiosk(qtbot, store, content, clock, request):
    """Build (and show) a kiosk; it is unlocked and closed after the test."""
    built = []

    def make(*, with_pin: bool = True, with_event: bool = True, locked: bool = False):
        if with_pin:
            PinKeeper(store).set_pin(PIN)
        if with_event:
            request.getfixturevalue("stall_event")
        kiosk = build_kiosk(store, content, clock=clock)
        fill_missing_screens(kiosk.window)
        settle(qtbot, kiosk)
        kiosk.window.resize(1280, 800)
        if locked:
            kiosk.volunteer.lock()
        kiosk.window.show()
        qtbot.waitExposed(kiosk.window)
        built.append(kiosk)
        return kiosk

    yield make
    for kiosk in built:
        close_kiosk(qtbot, kiosk)


def settle(qtbot, kiosk) -> None:
    """Wait until the panel's controller has answered everything it was asked."""
    qtbot.waitUntil(kiosk.controller.is_idle)


def close_kiosk(qtbot, kiosk) -> None:
    """Wait for a save in progress, unlock and delete the window with everything on it."""
    qtbot.waitUntil(lambda: not kiosk.flow.is_saving)
    kiosk.volunteer.lockdown.release()
    kiosk.close()


def enter_pin(qtbot, panel, pin: str) -> None:
    """Tap the digits and OK on the panel's PIN pad."""
    qtbot.waitUntil(panel.controller.is_idle)  # the pad waits to hear whether a PIN exists
    pad = panel.pin_page.pad
    for digit in pin:
        qtbot.mouseClick(pad.digit_buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(panel.controller.is_idle)
