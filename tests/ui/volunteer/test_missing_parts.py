"""Never stuck on a missing piece: what the kiosk started without is on the
dashboard, in the volunteer's language, with the command that installs it."""

from __future__ import annotations

import os

import pytest

from kiosk import system_check
from kiosk.ui.volunteer.keyboard import keyboard_problems, use_virtual_keyboard
from tests.ui.test_kiosk_sync import open_page

REAL_LOOKUP = system_check.library_present


@pytest.fixture
def no_libpulse(monkeypatch):  # type: ignore[no-untyped-def]
    """The kiosk started on a laptop without libpulse0: its keyboard probe said so."""
    monkeypatch.setattr(system_check, "_noted", [])
    monkeypatch.delenv("QT_IM_MODULE", raising=False)

    def probe() -> list[system_check.Problem]:
        return keyboard_problems(
            has_library=lambda soname: soname != "libpulse.so.0" and REAL_LOOKUP(soname)
        )

    assert use_virtual_keyboard(True, "sv", probe=probe) is False
    assert "QT_IM_MODULE" not in os.environ


def test_a_missing_keyboard_library_is_on_the_dashboard_with_its_install_command(
    qtbot, kiosk, no_libpulse
):
    dashboard = open_page(qtbot, kiosk, "dashboard").dashboard
    qtbot.waitUntil(lambda: dashboard.figures is not None)
    command = system_check.apt_command(["libpulse0"])
    assert dashboard.attention.isVisible()
    assert (
        f"Skärmtangentbordet är avstängt: det behöver libpulse.so.0. Installera med: {command}"
        in dashboard.attention.text().splitlines()
    )

    dashboard.words.language = "en"  # a volunteer reading English
    dashboard.retranslate()
    assert (
        f"The on-screen keyboard is off: it needs libpulse.so.0. Install with: {command}"
        in dashboard.attention.text().splitlines()
    )


def test_the_command_line_reads_the_same_catalogue_without_the_venv():
    """`make run` runs system_check with the system python3: stdlib gettext, same words."""
    problem = system_check.Problem("keyboard", True, ("libpulse.so.0",), ("libpulse0",), "X")
    assert problem.message("en") == (
        "The on-screen keyboard is off: it needs libpulse.so.0. Install with: X"
    )
    assert (
        problem.message("ar", with_command=False)
        == "لوحة المفاتيح على الشاشة متوقفة: تحتاج إلى libpulse.so.0."
    )
