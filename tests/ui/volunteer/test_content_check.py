"""The content check: a content file is accepted, and the panel says which texts
signers of each offered language will read in Swedish instead."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.content import DEFAULT_CONTENT_FILE
from tests.ui.volunteer.conftest import settle
from tests.ui.volunteer.test_settings_page import open_settings

ARABIC_TITLE = ', ar = "وقّع على الميثاق"'  # the first staircase step's title


def test_texts_falling_back_to_swedish_are_named_per_language(qtbot, make_kiosk, tmp_path):
    kiosk = make_kiosk()
    page = open_settings(qtbot, kiosk)
    shipped = DEFAULT_CONTENT_FILE.read_text(encoding="utf-8")
    assert ARABIC_TITLE in shipped
    partly = tmp_path / "pledge.toml"
    partly.write_text(shipped.replace(ARABIC_TITLE, "", 1), encoding="utf-8")
    page.content_file.setText(str(partly))
    for box in page.language_boxes.values():
        box.setChecked(True)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert page.content_check.isVisible()
    (line,) = page.content_check.text().splitlines()  # English is complete: not named
    assert line.startswith("På العربية visas svenska för 1 text: staircase")
    assert "title" in line


def test_a_complete_content_file_is_said_to_be_complete(qtbot, make_kiosk):
    kiosk = make_kiosk()
    page = open_settings(qtbot, kiosk)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    assert page.content_check.text() == kiosk.flow.words("volunteer.content_all_translated")
