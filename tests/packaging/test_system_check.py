"""Never stuck on a missing piece: what is missing is said, with the line that installs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import system_check

ROOT = Path(__file__).resolve().parents[2]
REAL_LOOKUP = system_check.library_present


def without(*sonames: str):  # type: ignore[no-untyped-def]
    """This machine's libraries, less `sonames` (as on a laptop lacking them)."""
    return lambda soname: soname not in sonames and REAL_LOOKUP(soname)


def test_this_machine_has_what_the_kiosk_needs():
    """CI installs every package the check names; `make run` starts with this."""
    result = subprocess.run(
        [sys.executable, "kiosk/system_check.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_a_missing_library_names_the_exact_apt_get_line(monkeypatch, capsys):
    monkeypatch.setattr(system_check, "library_present", without("libxcb-cursor.so.0"))
    monkeypatch.setattr(os, "geteuid", lambda: 1000)

    assert system_check._for_make_run(install=False, platform="xcb") == 1

    said = capsys.readouterr().err
    assert "libxcb-cursor.so.0" in said
    assert "sudo apt-get install -y libxcb-cursor0\n" in said  # only what is missing


def test_the_kiosk_refuses_to_start_qt_without_its_libraries(monkeypatch, capsys):
    from kiosk.commands.run import check_system

    monkeypatch.setattr(system_check, "library_present", without("libEGL.so.1"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")

    assert check_system() == 1
    assert "apt-get install -y libegl1" in capsys.readouterr().err


def test_a_missing_optional_part_does_not_stop_the_start(monkeypatch):
    from kiosk.commands.run import check_system

    monkeypatch.setattr(system_check, "library_present", without("libpulse.so.0"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")

    assert check_system() == 0


@pytest.fixture
def fresh_notes(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(system_check, "_noted", [])
    monkeypatch.delenv("QT_IM_MODULE", raising=False)


def test_without_libpulse_the_keyboard_stays_off_and_the_panel_is_told_why(fresh_notes):
    from kiosk.ui.volunteer.keyboard import keyboard_problems, use_virtual_keyboard

    def probe() -> list[system_check.Problem]:
        return keyboard_problems(has_library=without("libpulse.so.0"))

    assert use_virtual_keyboard(True, "sv", probe=probe) is False
    assert "QT_IM_MODULE" not in os.environ  # no black input panel at the first tap

    keyboard = [p for p in system_check.problems("offscreen") if p.part == "keyboard"]
    assert [p.optional for p in keyboard] == [True]
    assert keyboard[0].message("sv") == (
        "Skärmtangentbordet är avstängt: det behöver libpulse.so.0. "
        f"Installera med: {system_check.apt_command(['libpulse0'])}"
    )


def test_without_its_qml_modules_the_keyboard_stays_off(fresh_notes, tmp_path):
    from kiosk.ui.volunteer.keyboard import keyboard_problems, use_virtual_keyboard

    def probe() -> list[system_check.Problem]:
        return keyboard_problems(qml_dir=tmp_path, plugins_dir=tmp_path)

    assert use_virtual_keyboard(True, "sv", probe=probe) is False
    (problem,) = [p for p in system_check.problems("offscreen") if p.part == "keyboard_modules"]
    assert "QtQuick/VirtualKeyboard" in problem.message("en")
    assert "pip install PySide6-Addons" in problem.message("en")


def test_with_everything_installed_the_keyboard_is_on(fresh_notes):
    from kiosk.ui.volunteer.keyboard import IM_MODULE, use_virtual_keyboard

    assert use_virtual_keyboard(True, "sv") is True
    assert os.environ["QT_IM_MODULE"] == IM_MODULE
    del os.environ["QT_IM_MODULE"]
