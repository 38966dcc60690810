"""The on-screen keyboard on a signer's details form at 1366x768, under a real X server.

Qt Virtual Keyboard needs a real windowing system (xcb), so each check runs
signer_keyboard_probe.py in a subprocess against an Xvfb of a common laptop's
size started here, tapping with xdotool; the tests skip (saying why) where
Xvfb or xdotool is missing. At this size the keyboard takes 427 of the 768 px.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLayout

from kiosk.ui.volunteer.keyboard import settle_layouts
from tests.ui.xvfb import needs_x, xvfb

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def laptop_display() -> Iterator[str]:
    with xvfb("1366x768") as display:
        yield display


def probe(display: str, mode: str, language: str) -> dict:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("QT_IM_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.signer_keyboard_probe", mode, language],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@needs_x
@pytest.mark.xvfb
@pytest.mark.parametrize("language", ["sv", "ar"])
def test_the_field_and_its_label_stay_above_the_keyboard(laptop_display, language):
    """Each of name, email and postcode, tapped with the keyboard coming up: the
    field and the label saying what it is for are whole, above the keyboard."""
    seen = probe(laptop_display, "label", language)
    for name in ("name", "email", "postcode"):
        assert seen[name]["shown"], seen
        assert seen[name]["focus"], (name, seen)
        assert seen[name]["field"], f"the {name} field is covered or cut off: {seen}"
        assert seen[name]["label"], f"the {name} label is covered or cut off: {seen}"


@needs_x
@pytest.mark.xvfb
def test_a_tap_right_after_the_keyboard_hides_lands(laptop_display):
    """The hide key, then at once a tap on an opt-in where it is drawn: it ticks,
    and nothing moved under the finger afterwards (the form used to jump 85 px
    a moment after the keyboard had gone)."""
    seen = probe(laptop_display, "tap-after-hide", "sv")
    assert seen["shown"] and seen["hidden"], seen
    assert seen["seen_y"] == seen["final_y"], seen
    assert seen["ticked"], seen
    assert not seen["keyboard_back"], seen


def keyboard_margin(kiosk, margin: int) -> None:  # type: ignore[no-untyped-def]
    """What KeyboardAvoider does with a keyboard `margin` px tall: the content ends above it."""
    layout = kiosk.window.layout()
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    layout.setContentsMargins(0, 0, 0, margin)
    settle_layouts()


def test_back_and_next_fold_away_while_the_keyboard_is_up_and_return_in_place(qtbot, kiosk):
    """Offscreen, with the room a keyboard leaves at 1366x768: Back/Next give the
    field their room, then come back exactly where they were."""
    kiosk.window.resize(1366, 768)
    kiosk.flow.start()
    screen = kiosk.commitments
    qtbot.waitUntil(lambda: screen.next_button.isVisible())
    before = screen.next_button.mapTo(kiosk.window, screen.next_button.rect().topLeft())
    keyboard_margin(kiosk, 427)
    assert not screen.next_button.isVisible() and not screen.back_button.isVisible()
    keyboard_margin(kiosk, 0)
    assert screen.next_button.isVisible()
    assert screen.next_button.mapTo(kiosk.window, screen.next_button.rect().topLeft()) == before
