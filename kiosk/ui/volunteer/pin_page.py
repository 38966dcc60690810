"""The PIN step in front of the panel: enter it, or choose one on first start."""

from __future__ import annotations

import math
from enum import StrEnum

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.common import button, label
from kiosk.ui.volunteer.pinpad import PinPad
from kiosk.volunteer.pin import PinKeeper, pin_problem


class PinMode(StrEnum):
    ENTER = "enter"
    CHOOSE = "choose"
    CONFIRM = "confirm"


class PinPage(QWidget):
    unlocked = Signal()
    pin_chosen = Signal()
    cancelled = Signal()

    def __init__(self, keeper: PinKeeper, tr: Translator, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pinPage")
        self.keeper = keeper
        self.tr = tr
        self.mode = PinMode.ENTER
        self.changing = False  # choosing a new PIN from inside the panel
        self.reason_key = ""
        self._first = ""
        self.title = label("pinTitle", "title", self)
        self.reason = label("pinReason", "muted", self)
        self.message = label("pinMessage", "error", self)
        self.pad = PinPad(self)
        self.pad.entered.connect(self.on_entered)
        self.cancel_button = button("pinCancel", parent=self)
        self.cancel_button.clicked.connect(self.cancelled)
        self._lock_timer = QTimer(self, interval=1000)
        self._lock_timer.timeout.connect(self.refresh_lock)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        for widget in (self.title, self.reason, self.message):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addWidget(self.pad, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.cancel_button, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch()

    def begin(self, *, reason_key: str = "", change: bool = False) -> None:
        """Ask for the PIN (or a new one on first start, or when changing it)."""
        self.changing = change
        self.reason_key = reason_key
        self._first = ""
        self.pad.clear()
        self.mode = PinMode.CHOOSE if change or not self.keeper.has_pin() else PinMode.ENTER
        self._say("")
        self.refresh_lock()
        self.retranslate()
        self.pad.setFocus()

    def retranslate(self) -> None:
        self.title.setText(self.tr(f"volunteer.pin_{self.mode.value}_title"))
        self.reason.setText(self.tr(self.reason_key) if self.reason_key else "")
        self.reason.setVisible(bool(self.reason_key))
        self.cancel_button.setText(self.tr("volunteer.pin_cancel"))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refresh_lock(self) -> None:
        """Show how long the lock lasts, or free the pad when it is over (ticks each second)."""
        if self.mode is not PinMode.ENTER:
            return
        seconds = self.keeper.locked_for()
        self.pad.setEnabled(seconds <= 0)
        if seconds > 0:
            self._say(
                self.tr.plural(
                    "volunteer.pin_locked", math.ceil(seconds), seconds=math.ceil(seconds)
                )
            )
            self._lock_timer.start()
        elif self._lock_timer.isActive():
            self._lock_timer.stop()
            self._say("")

    def on_entered(self, digits: str) -> None:
        if self.mode is PinMode.ENTER:
            result = self.keeper.check(digits)
            if result.ok:
                self._say("")
                self.unlocked.emit()
            elif result.locked_for > 0:
                self.refresh_lock()
            else:
                self._say(
                    self.tr.plural(
                        "volunteer.pin_wrong", result.tries_left, tries=result.tries_left
                    )
                )
        elif self.mode is PinMode.CHOOSE:
            problem = pin_problem(digits)
            if problem:
                self._say(self.tr(problem))
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
                self._say(self.tr("volunteer.pin_mismatch"))
                return
            self.keeper.set_pin(self._first)
            self._first = ""
            self.pin_chosen.emit()
            if not self.changing:
                self.unlocked.emit()
