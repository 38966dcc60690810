"""The panel's own print preview: real pages, readable, scrolled by touch, a big close."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QScroller

from kiosk.documents.flyer import FlyerOptions, make_flyer
from kiosk.ui.volunteer.preview import render_pages
from tests.ui.helpers import tap
from tests.ui.test_kiosk_printing import open_page


def test_pages_are_rendered_at_the_width_asked_and_show_the_flyer(content):
    [page] = render_pages(make_flyer(content, FlyerOptions()), 900)
    assert page.width() == 900 and page.height() > 900  # A6 upright, readable
    header = QColor(page.pixel(page.width() // 2, 20))
    assert header.green() > header.red() + 40  # the campaign's green band, not a blank page


def test_the_preview_covers_the_panel_scrolls_by_touch_and_closes(qtbot, kiosk):
    kiosk.window.resize(1366, 768)
    panel = open_page(qtbot, kiosk, "print")
    page = panel.print_page
    tap(qtbot, page.preview_button)
    qtbot.waitUntil(lambda: page._preview is not None and page._preview.state == "shown")
    preview = page._preview
    assert preview.isVisible() and preview.geometry() == panel.rect()
    assert preview.heading.text() == "Förhandsvisning: 1 sida"
    [shown] = [w for w in preview.pages.findChildren(QLabel) if w.objectName() == "previewPage"]
    assert shown.pixmap().deviceIndependentSize().width() >= 900  # not Qt's 35 %
    assert QScroller.hasScroller(preview.scroll.viewport())
    assert min(preview.close_button.width(), preview.close_button.height()) >= 56
    tap(qtbot, preview.close_button)
    assert not preview.isVisible() and panel.current_page() == "print"


def test_leaving_the_panel_takes_the_preview_with_it(qtbot, kiosk):
    panel = open_page(qtbot, kiosk, "print")
    page = panel.print_page
    page.preview()
    qtbot.waitUntil(lambda: page._preview is not None and page._preview.state == "shown")
    panel.leave()
    panel.request_open()
    assert not page._preview.isVisible()  # the next volunteer meets the PIN, not a preview
