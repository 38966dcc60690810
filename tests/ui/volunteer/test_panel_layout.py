"""The panel at a market stall's 1366×768: every control big enough for a finger,
no desktop spin boxes or date fields, and no two texts on top of each other or
cut short in any language or text size."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QWidget,
)

from kiosk.ui.volunteer.panel import PAGES
from tests.ui.ink import line_spans, right_aligned_arabic
from tests.ui.volunteer.conftest import PIN, enter_pin, settle

FINGER = 48  # px, in both directions
SCREEN = (1366, 768)
INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)


def open_unlocked(qtbot, kiosk):
    kiosk.window.resize(*SCREEN)
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    return panel


def show(qtbot, kiosk, page: str) -> None:
    kiosk.volunteer.panel.show_page(page)
    settle(qtbot, kiosk)
    qtbot.wait(10)  # layouts run


def rect_in(widget: QWidget, panel: QWidget) -> QRect:
    return QRect(widget.mapTo(panel, QPoint(0, 0)), widget.size())


def too_small(panel: QWidget) -> list[str]:
    small = []
    for widget in panel.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(panel):
            continue
        if widget.width() < FINGER or widget.height() < FINGER:
            small.append(f"{widget.objectName() or type(widget).__name__} {widget.size()}")
        if isinstance(widget, QListWidget):
            for row in range(widget.count()):
                height = widget.visualItemRect(widget.item(row)).height()
                if height < FINGER:
                    small.append(f"{widget.objectName()} row {row}: {height} px")
    return small


def test_every_control_of_every_page_is_made_for_a_finger(qtbot, make_kiosk, store):
    from kiosk.store.repository import create_event

    with store.session() as session:  # an event to choose: the list has rows
        create_event(session, name="Råå hamnmarknad", place="Råå", event_date=date(2026, 6, 6))
        session.commit()
    kiosk = make_kiosk()
    panel = kiosk.volunteer.panel
    kiosk.window.resize(*SCREEN)
    kiosk.volunteer.open_panel()
    settle(qtbot, kiosk)
    assert too_small(panel) == [], "the PIN page"
    enter_pin(qtbot, panel, PIN)
    assert not panel.findChildren(QAbstractSpinBox)  # no spin box, no desktop date field
    for page in PAGES:
        show(qtbot, kiosk, page)
        assert too_small(panel) == [], page
    print_page = panel.print_page
    for index in range(print_page.document.count()):  # each document shows other fields
        print_page.document.setCurrentIndex(index)
        qtbot.wait(10)
        assert too_small(panel) == [], print_page.document.currentData()
    print_page.start_date.open_calendar()
    qtbot.wait(10)
    assert print_page.start_date.calendar.isVisible()
    assert too_small(panel) == [], "the date picker"
    print_page.start_date.calendar.hide()
    panel.ask_quit()
    settle(qtbot, kiosk)
    assert too_small(panel) == [], "the shutdown question"


def overlapping_labels(panel: QWidget) -> list[str]:
    labels = [w for w in panel.findChildren(QLabel) if w.isVisibleTo(panel) and w.text().strip()]
    clashes = []
    for first, second in itertools.combinations(labels, 2):
        if first.isAncestorOf(second) or second.isAncestorOf(first):
            continue
        if rect_in(first, panel).intersects(rect_in(second, panel)):
            clashes.append(f"{first.objectName()!r} × {second.objectName()!r}")
    return clashes


def cut_off_labels(panel: QWidget) -> list[str]:
    """Wrapped texts given less height than their words need: the last lines are cut."""
    cut = []
    for widget in panel.findChildren(QLabel):
        if not (widget.isVisibleTo(panel) and widget.wordWrap() and widget.text().strip()):
            continue
        needed = widget.heightForWidth(widget.width())
        if widget.height() < needed:
            cut.append(f"{widget.objectName()!r}: {widget.height()} of {needed} px")
    return cut


@pytest.mark.parametrize("large_text", [False, True], ids=["text", "large text"])
@pytest.mark.parametrize("language", ["sv", "en", "ar"])
def test_no_two_texts_overlap_on_any_page(qtbot, make_kiosk, language, large_text):
    kiosk = make_kiosk()
    volunteer = kiosk.volunteer
    volunteer.apply_settings(replace(volunteer.settings, large_text=large_text))
    kiosk.flow.set_language(language)
    panel = open_unlocked(qtbot, kiosk)
    for page in PAGES:
        show(qtbot, kiosk, page)
        assert overlapping_labels(panel) == [], page
        assert cut_off_labels(panel) == [], page
        if page == "dashboard" and not large_text:  # it fits one screen
            assert not panel.scroll_area.verticalScrollBar().isVisible()
    show(qtbot, kiosk, "settings")
    panel.settings_page.save()  # the saved message comes beside *Spara*
    settle(qtbot, kiosk)
    qtbot.wait(10)
    assert panel.settings_page.message.isVisibleTo(panel)
    assert overlapping_labels(panel) == [], "settings, saved"
    panel.ask_quit()
    settle(qtbot, kiosk)
    assert overlapping_labels(panel.quit_confirm) == [], "the shutdown question"


def test_every_wrapped_arabic_line_ends_at_the_right_edge(qtbot, make_kiosk):
    """At large text the panel's notes and captions wrap; each of their lines ends
    where the others do, none a space short (see kiosk.ui.common.WordsLabel)."""
    kiosk = make_kiosk()
    volunteer = kiosk.volunteer
    volunteer.apply_settings(replace(volunteer.settings, large_text=True))
    kiosk.flow.set_language("ar")
    panel = open_unlocked(qtbot, kiosk)
    wrapped = []
    for page in PAGES:
        show(qtbot, kiosk, page)
        for widget in right_aligned_arabic(panel):
            ends = [right for _, right in line_spans(widget)]
            if len(ends) > 1:
                wrapped.append(widget.objectName())
                assert max(ends) - min(ends) <= 2, f"{page}: {widget.objectName()} {ends}"
    assert len(wrapped) >= 3, wrapped  # the dashboard's warning and captions, the settings note
