"""The on-screen keyboard under a real X server (Xvfb): Swedish layout, never over the field.

Qt Virtual Keyboard needs a real windowing system (xcb), so each check runs
keyboard_probe.py in a subprocess against an Xvfb started here, and the
tests skip (saying why) where Xvfb or xdotool is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.ui.volunteer.keyboard import IM_MODULE, use_virtual_keyboard
from tests.ui.xvfb import needs_x, xvfb

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def xvfb_display():
    with xvfb("1280x800") as display:
        yield display


def probe(display: str, keyboard: str, language: str = "sv") -> dict:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("QT_IM_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.volunteer.keyboard_probe", keyboard, language],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@needs_x
@pytest.mark.xvfb
def test_swedish_keyboard_types_and_keeps_clear_of_the_field(xvfb_display):
    seen = probe(xvfb_display, "on")
    assert seen["shown"], seen
    assert seen["locale"] == "sv_SE"
    assert seen["field_bottom_before"] > seen["keyboard_top"]  # it would have been covered
    assert seen["field_bottom"] <= seen["keyboard_top"]  # and is not
    assert seen["text"] == "å"  # tapped on the Swedish layout's top row


@needs_x
@pytest.mark.xvfb
@pytest.mark.parametrize(("language", "locale"), [("en", "en_GB"), ("ar", "ar_")])
def test_the_keyboard_follows_the_signers_language(xvfb_display, language, locale):
    """The signer switched language: the keyboard's layout switched with it (Qt names
    its Arabic layout's locale ar_EG)."""
    seen = probe(xvfb_display, "on", language)
    assert seen["shown"], seen
    assert seen["locale"].startswith(locale)
    assert seen["field_bottom"] <= seen["keyboard_top"]


@needs_x
@pytest.mark.xvfb
def test_the_keyboards_enter_goes_on_to_the_next_field_above_it(xvfb_display):
    """A volunteer typing the event's name taps ↵ and types its place: the place field,
    which the keyboard covered, takes the keys and is shown above the keyboard."""
    seen = probe(xvfb_display, "enter")
    assert seen["shown"], seen
    assert seen["focused"] == "eventPlace"
    assert seen["next_bottom"] <= seen["keyboard_top"]


@needs_x
@pytest.mark.xvfb
def test_switched_off_no_keyboard_appears(xvfb_display):
    seen = probe(xvfb_display, "off")
    assert not seen["shown"]
    assert seen["has_focus"]


def test_the_setting_chooses_the_input_method(monkeypatch):
    monkeypatch.delenv("QT_IM_MODULE", raising=False)
    use_virtual_keyboard(True, "sv")
    assert os.environ["QT_IM_MODULE"] == IM_MODULE
    use_virtual_keyboard(False, "sv")
    assert "QT_IM_MODULE" not in os.environ
