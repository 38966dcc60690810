"""Controls made for a finger, for the volunteer panel: a stepper and a date picker.

Qt's spin boxes have 10-12 px arrows and its date field a desktop calendar;
at a market stall a volunteer taps with a cold finger. Every button here is
at least MIN_TOUCH_TARGET square, and the value is read as large text.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from babel.dates import format_skeleton, get_day_names
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import Translator
from kiosk.ui.theme import MIN_TOUCH_TARGET

PANEL_NAME = "volunteerPanel"


def overlay_host(widget: QWidget) -> QWidget:
    """Where an overlay goes: over the whole panel (its idle clock sees the taps and
    leaving the panel hides it), or the window when the widget is not in one."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent.objectName() == PANEL_NAME:
            return parent
        parent = parent.parentWidget()
    return widget.window()


def mark_overlay(widget: QWidget) -> None:
    """An overlay the panel hides when it is left (kiosk.ui.volunteer.panel.leave)."""
    widget.setProperty("panelOverlay", True)


def touch_scrolling(widget: QWidget) -> None:
    """Drag to scroll, as on a phone (a mouse press drags too: touch screens send one)."""
    QScroller.grabGesture(widget, QScroller.ScrollerGestureType.LeftMouseButtonGesture)


def _square(text: str, name: str, parent: QWidget) -> QPushButton:
    widget = QPushButton(text, parent)
    widget.setObjectName(name)
    widget.setProperty("role", "step")
    widget.setFixedSize(MIN_TOUCH_TARGET + 8, MIN_TOUCH_TARGET)
    return widget


class Stepper(QWidget):
    """− value +: a number within [minimum, maximum], changed by `step` per tap."""

    value_changed = Signal(int)

    def __init__(
        self, *, minimum: int, maximum: int, step: int = 1, suffix: str = "", parent: QWidget
    ):
        super().__init__(parent)
        self.minimum, self.maximum, self.step = minimum, maximum, step
        self.suffix = suffix
        self._value = minimum
        self.minus = _square("−", "stepDown", self)
        self.minus.setAccessibleName("−")
        self.minus.clicked.connect(lambda: self.setValue(self._value - self.step))
        self.plus = _square("+", "stepUp", self)
        self.plus.setAccessibleName("+")
        self.plus.clicked.connect(lambda: self.setValue(self._value + self.step))
        self.shown = QLabel(self)
        self.shown.setObjectName("stepValue")
        self.shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shown.setMinimumWidth(120)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.minus)
        row.addWidget(self.shown)
        row.addWidget(self.plus)
        row.addStretch()
        self._show()

    def value(self) -> int:
        return self._value

    def setValue(self, value: int) -> None:
        value = max(self.minimum, min(self.maximum, value))
        changed = value != self._value
        self._value = value
        self._show()
        if changed:
            self.value_changed.emit(value)

    def set_suffix(self, suffix: str) -> None:
        self.suffix = suffix
        self._show()

    def _show(self) -> None:
        self.shown.setText(f"{self._value}{self.suffix}")
        self.minus.setEnabled(self._value > self.minimum)
        self.plus.setEnabled(self._value < self.maximum)


class DatePicker(QWidget):
    """A big date button; a tap opens a month of big day buttons over the window."""

    date_changed = Signal(object)  # datetime.date

    def __init__(self, words: Translator, value: date, parent: QWidget):
        super().__init__(parent)
        self.words = words
        self._date = value
        self.button = QPushButton(self)
        self.button.setObjectName("dateButton")
        self.button.setMinimumWidth(240)
        self.button.clicked.connect(self.open_calendar)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addStretch()
        self.calendar: MonthGrid | None = None
        self._show()

    def date(self) -> date:
        return self._date

    def setDate(self, value: date) -> None:
        changed = value != self._date
        self._date = value
        self._show()
        if changed:
            self.date_changed.emit(value)

    def open_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = MonthGrid(self.words, overlay_host(self))
            self.calendar.chosen.connect(self.setDate)
        self.calendar.open_at(self._date)

    def retranslate(self) -> None:
        self._show()
        if self.calendar is not None:
            self.calendar.retranslate()

    def _show(self) -> None:
        self.button.setText(self.words.date(self._date))


class MonthGrid(QFrame):
    """A month of day buttons covering the window, with ‹ › for the months and a close."""

    chosen = Signal(object)  # datetime.date

    def __init__(self, words: Translator, window: QWidget):
        super().__init__(window)
        self.setObjectName("monthGrid")
        mark_overlay(self)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.words = words
        self.month = date.today().replace(day=1)
        self.selected = date.today()
        card = QFrame(self)
        card.setProperty("role", "card")
        self.previous = _square("‹", "previousMonth", card)
        self.previous.clicked.connect(lambda: self._move(-1))
        self.next = _square("›", "nextMonth", card)
        self.next.clicked.connect(lambda: self._move(1))
        self.heading = QLabel(card)
        self.heading.setObjectName("monthHeading")
        self.heading.setProperty("role", "heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.close_button = QPushButton(card)
        self.close_button.setObjectName("closeCalendar")
        self.close_button.clicked.connect(self.hide)
        top = QHBoxLayout()
        top.addWidget(self.previous)
        top.addWidget(self.heading, 1)
        top.addWidget(self.next)
        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        self.weekdays: list[QLabel] = []
        for column in range(7):
            weekday = QLabel(card)
            weekday.setProperty("role", "caption")
            weekday.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(weekday, 0, column)
            self.weekdays.append(weekday)
        self.days: list[QPushButton] = []
        for index in range(42):  # six weeks of seven days
            day = QPushButton(card)
            day.setObjectName("calendarDay")
            day.setCheckable(True)
            day.setFixedSize(MIN_TOUCH_TARGET + 16, MIN_TOUCH_TARGET)
            day.clicked.connect(lambda _checked=False, i=index: self._choose(i))
            self.grid.addWidget(day, 1 + index // 7, index % 7)
            self.days.append(day)
        inside = QVBoxLayout(card)
        inside.setContentsMargins(24, 16, 24, 16)
        inside.addLayout(top)
        inside.addLayout(self.grid)
        inside.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        window.installEventFilter(self)
        self.hide()

    def open_at(self, selected: date) -> None:
        self.selected = selected
        self.month = selected.replace(day=1)
        self.retranslate()
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def first_shown(self) -> date:
        """The Monday on or before the 1st (weeks start on Monday in sv, as ISO)."""
        return self.month - timedelta(days=self.month.weekday())

    def _move(self, months: int) -> None:
        year, month = divmod(self.month.month - 1 + months, 12)
        self.month = date(self.month.year + year, month + 1, 1)
        self.retranslate()

    def _choose(self, index: int) -> None:
        self.selected = self.first_shown() + timedelta(days=index)
        self.hide()
        self.chosen.emit(self.selected)

    def retranslate(self) -> None:
        language = self.words.language
        self.heading.setText(format_skeleton("yMMMM", self.month, locale=language))
        names = get_day_names("abbreviated", locale=language)
        for column, weekday in enumerate(self.weekdays):
            weekday.setText(names[column])  # babel: 0 is Monday
        self.close_button.setText(self.words("volunteer.calendar_close"))
        start = self.first_shown()
        _, days_in_month = calendar.monthrange(self.month.year, self.month.month)
        for index, button in enumerate(self.days):
            day = start + timedelta(days=index)
            button.setText(str(day.day))
            button.setChecked(day == self.selected)
            button.setProperty("outside", day.month != self.month.month)
            button.style().unpolish(button)
            button.style().polish(button)
            button.setVisible(index < 35 or (start + timedelta(days=35)).month == self.month.month)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False
