"""The settings page: bad input changes nothing; good input applies at once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.ui.common import LanguageButton
from kiosk.ui.theme import HIGH_CONTRAST
from kiosk.volunteer.settings import KioskSettings, load_settings
from tests.ui.volunteer.conftest import PIN, enter_pin, settle


def open_settings(qtbot, kiosk):
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    qtbot.mouseClick(panel.tabs["settings"], Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert panel.current_page() == "settings"
    return panel.settings_page


def test_a_broken_content_file_is_refused_and_nothing_saved(qtbot, make_kiosk, store, tmp_path):
    kiosk = make_kiosk()
    page = open_settings(qtbot, kiosk)
    broken = tmp_path / "broken.toml"
    broken.write_text("[campaign\n", encoding="utf-8")
    page.content_file.setText(str(broken))
    page.idle_seconds.setValue(200)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert kiosk.flow.words("volunteer.settings_content") in page.message.text()
    with store.session() as session:
        assert load_settings(session) == KioskSettings()
    assert kiosk.flow.idle_seconds == KioskSettings().idle_seconds


def test_saved_settings_apply_at_once(qtbot, make_kiosk, store):
    kiosk = make_kiosk()
    page = open_settings(qtbot, kiosk)
    page.idle_seconds.setValue(90)
    page.thanks_seconds.setValue(20)
    page.language_boxes["en"].setChecked(False)
    page.language_boxes["ar"].setChecked(False)  # offered by default beside sv and en
    page.high_contrast.setChecked(True)
    page.large_text.setChecked(True)
    page.printer_name.setText("  Stall printer ")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert page.message.text() == kiosk.flow.words("volunteer.settings_saved")
    assert (kiosk.flow.idle_seconds, kiosk.flow.thanks_seconds) == (90, 20)
    assert HIGH_CONTRAST.background in kiosk.window.styleSheet()
    assert "29px" in kiosk.window.styleSheet()  # 22px body text × 1.3
    assert not any(b.isVisibleTo(kiosk.window) for b in kiosk.window.findChildren(LanguageButton))
    with store.session() as session:
        saved = load_settings(session)
    assert (saved.languages, saved.printer_name) == (("sv",), "Stall printer")


def test_change_pin(qtbot, make_kiosk):
    kiosk = make_kiosk()
    page = open_settings(qtbot, kiosk)
    panel = kiosk.volunteer.panel
    qtbot.mouseClick(page.change_pin_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert panel.current_page() == "pin"
    enter_pin(qtbot, panel, "55667788")
    enter_pin(qtbot, panel, "55667788")
    assert panel.current_page() == "settings"
    assert kiosk.controller.keeper.check("55667788").ok
    assert not kiosk.controller.keeper.check(PIN).ok
