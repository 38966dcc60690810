"""A big-button PIN pad: the digits are never shown, only dots."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.volunteer.pin import PIN_MAX_DIGITS

KEY_WIDTH, KEY_HEIGHT = 120, 64  # fixed: the keys stay put whatever the text size
DISPLAY_HEIGHT = 48


class PinPad(QWidget):
    entered = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pinPad")
        self._digits = ""
        self.display = QLabel(self)
        self.display.setObjectName("pinDisplay")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setFixedHeight(DISPLAY_HEIGHT)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.digit_buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            grid.addWidget(self._digit_button(digit), index // 3, index % 3)
        self.erase_button = QPushButton("⌫", self)
        self.erase_button.setObjectName("pinErase")
        self.erase_button.setAccessibleName("Erase")
        self.erase_button.setFixedSize(KEY_WIDTH, KEY_HEIGHT)
        self.erase_button.clicked.connect(self.erase)
        grid.addWidget(self.erase_button, 3, 0)
        grid.addWidget(self._digit_button("0"), 3, 1)
        self.ok_button = QPushButton("OK", self)
        self.ok_button.setObjectName("pinOk")
        self.ok_button.setProperty("role", "primary")
        self.ok_button.setFixedSize(KEY_WIDTH, KEY_HEIGHT)
        self.ok_button.clicked.connect(self.submit)
        grid.addWidget(self.ok_button, 3, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.display)
        layout.addLayout(grid)
        self._show()

    def _digit_button(self, digit: str) -> QPushButton:
        widget = QPushButton(digit, self)
        widget.setObjectName(f"pinDigit{digit}")
        widget.setFixedSize(KEY_WIDTH, KEY_HEIGHT)
        widget.clicked.connect(lambda: self.press(digit))
        self.digit_buttons[digit] = widget
        return widget

    def press(self, digit: str) -> None:
        if len(self._digits) < PIN_MAX_DIGITS:
            self._digits += digit
            self._show()

    def erase(self) -> None:
        self._digits = self._digits[:-1]
        self._show()

    def submit(self) -> None:
        digits, self._digits = self._digits, ""
        self._show()
        self.entered.emit(digits)

    def clear(self) -> None:
        self._digits = ""
        self._show()

    def keyPressEvent(self, event) -> None:
        text = event.text()
        if text.isdigit() and text.isascii():
            self.press(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.erase()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)

    def _show(self) -> None:
        self.display.setText("●" * len(self._digits) or " ")
