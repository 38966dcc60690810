"""The PIN step in front of the panel: enter it, or choose one on first start.

The pad never moves under a finger: the keys are a fixed-width column
at the top centre, under the title, and the reason and message lines keep their room
(two lines each, more only when a language's words need it) whether they
say something or not, so an error or the "no event" reason never pushes
the keys down. The keys keep 1 2 3 from the left in every language.

Checking and saving go through the panel's controller (off the GUI thread;
scrypt takes tens of milliseconds and the store may be busy): the pad is
disabled until the answer comes. A lockout counts down on the controller's
clock, without asking the store each second.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.common import button, label
from kiosk.ui.volunteer.pinpad import PinPad
from kiosk.volunteer.controller import PanelController
from kiosk.volunteer.pin import pin_problem

if TYPE_CHECKING:
    from kiosk.volunteer.panel_jobs import PinState
    from kiosk.volunteer.pin import PinResult


class PinMode(StrEnum):
    ENTER = "enter"
    CHOOSE = "choose"
    CONFIRM = "confirm"


PIN_COLUMN_WIDTH = 560
RESERVED_LINES = {"pinTitle": 1, "pinReason": 2, "pinMessage": 2}
WRAPPED = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter


class PinPage(QWidget):
    unlocked = Signal()
    pin_chosen = Signal()
    cancelled = Signal()

    def __init__(
        self, controller: PanelController, words: Translator, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("pinPage")
        self.controller = controller
        self.words = words
        self.mode = PinMode.ENTER
        self.locked_until = 0.0  # on the controller's monotonic clock
        self.changing = False  # choosing a new PIN from inside the panel
        self.reason_key = ""
        self._first = ""
        self.title = label("pinTitle", "title", self)
        self.reason = label("pinReason", "muted", self)
        self.message = label("pinMessage", "error", self)
        self.pad = PinPad(self)
        # Keypads keep 1 2 3 from the left in Arabic too, as phones do (not mirrored).
        self.pad.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.pad.entered.connect(self.on_entered)
        self.cancel_button = button("pinCancel", parent=self)
        self.cancel_button.clicked.connect(self.cancelled)
        self._lock_timer = QTimer(self, interval=1000)
        self._lock_timer.timeout.connect(self.refresh_lock)
        self.column = QWidget(self)
        self.column.setObjectName("pinColumn")
        self.column.setFixedWidth(PIN_COLUMN_WIDTH)
        column = QVBoxLayout(self.column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(self.pad, alignment=Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.cancel_button, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(8)
        # The lines have the page's whole width: large text in any language wraps little.
        for widget in (self.title, self.reason, self.message):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addWidget(self.column, 0, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout.addStretch()
        self._reserve_room()
        controller.pin_state_loaded.connect(self.on_pin_state)
        controller.pin_checked.connect(self.on_checked)
        controller.pin_saved.connect(self.on_saved)

    def _reserve_room(self) -> None:
        """Fix each line's height for its font (large text too): nothing moves when it
        changes. The room is what the words need when they need more: the title is
        measured for all its modes, so it keeps one height while the PIN is chosen
        and confirmed, and words too long for one line wrap instead of being
        cut off. The lines have the page's width (the column's until laid out)."""
        titles = [self.words(f"volunteer.pin_{mode.value}_title") for mode in PinMode]
        for reserved, texts in (
            (self.title, titles),
            (self.reason, [self.reason.text()]),
            (self.message, [self.message.text()]),
        ):
            lines = RESERVED_LINES[reserved.objectName()]
            margins = reserved.contentsMargins()
            metrics = reserved.fontMetrics()
            width = max(reserved.width(), PIN_COLUMN_WIDTH) - margins.left() - margins.right()
            wrapped = max(
                metrics.boundingRect(QRect(0, 0, width, 10_000), WRAPPED, text).height()
                for text in texts
            )
            padding = 4
            reserved.setFixedHeight(
                max(lines * metrics.lineSpacing(), wrapped)
                + margins.top()
                + margins.bottom()
                + padding
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._reserve_room()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reserve_room()  # the lines wrap at the page's width

    def showEvent(self, event: QShowEvent) -> None:
        self._reserve_room()  # the stylesheet's fonts are known once polished
        super().showEvent(event)

    def begin(self, *, reason_key: str = "", change: bool = False) -> None:
        """Ask for the PIN (or a new one on first start, or when changing it)."""
        self.changing = change
        self.reason_key = reason_key
        self._first = ""
        self.pad.clear()
        self.mode = PinMode.CHOOSE if change else PinMode.ENTER
        self.locked_until = 0.0
        self._say("")
        self.retranslate()
        self.pad.setFocus()
        if not change:
            self.pad.setEnabled(False)  # until the store says whether a PIN exists
            self.controller.load_pin_state()

    def on_pin_state(self, state: PinState) -> None:
        if self.changing:
            return
        self.mode = PinMode.ENTER if state.has_pin else PinMode.CHOOSE
        self._lock_for(state.locked_for)
        self.retranslate()

    def _lock_for(self, seconds: float) -> None:
        self.locked_until = self.controller.clock.monotonic() + seconds
        self.refresh_lock()

    def retranslate(self) -> None:
        self.title.setText(self.words(f"volunteer.pin_{self.mode.value}_title"))
        self.reason.setText(self.words(self.reason_key) if self.reason_key else "")
        self.cancel_button.setText(self.words("volunteer.pin_cancel"))
        self._reserve_room()

    def _say(self, text: str) -> None:
        """The message line keeps its room when empty (only its look goes)."""
        self.message.setText(text)
        self._reserve_room()
        self.message.setProperty("role", "error" if text else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def refresh_lock(self) -> None:
        """Show how long the lock lasts, or free the pad when it is over (ticks each second)."""
        if self.mode is not PinMode.ENTER:
            self.pad.setEnabled(True)
            return
        seconds = self.locked_until - self.controller.clock.monotonic()
        self.pad.setEnabled(seconds <= 0)
        if seconds > 0:
            wait = math.ceil(seconds)
            self._say(self.words.plural("volunteer.pin_locked", wait, seconds=wait))
            self._lock_timer.start()
        elif self._lock_timer.isActive():
            self._lock_timer.stop()
            self._say("")

    def on_entered(self, digits: str) -> None:
        if not self.pad.isEnabled():  # locked, or an answer is on its way
            return
        if self.mode is PinMode.ENTER:
            self.pad.setEnabled(False)
            self.controller.check_pin(digits)
        elif self.mode is PinMode.CHOOSE:
            problem = pin_problem(digits)
            if problem:
                self._say(self.words(problem))
                return
            self._first = digits
            self.mode = PinMode.CONFIRM
            self._say("")
            self.retranslate()
        else:
            if digits != self._first:
                self._first = ""
                self.mode = PinMode.CHOOSE
                self.retranslate()
                self._say(self.words("volunteer.pin_mismatch"))
                return
            self.pad.setEnabled(False)
            self.controller.set_pin(self._first)
            self._first = ""

    def on_checked(self, result: PinResult) -> None:
        if self.mode is not PinMode.ENTER or self.isHidden():
            return
        self.pad.setEnabled(True)
        if result.ok:
            self._say("")
            self.unlocked.emit()
        elif result.locked_for > 0:
            self._lock_for(result.locked_for)
        else:
            tries = result.tries_left
            self._say(self.words.plural("volunteer.pin_wrong", tries, tries=tries))

    def on_saved(self) -> None:
        self.pad.setEnabled(True)
        self.pin_chosen.emit()
        if not self.changing:
            self.unlocked.emit()
