"""Pieces every screen uses: the Screen base, big buttons, the language button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.flow import PledgeFlow


class Screen(QWidget):
    """A full-window step of the flow.

    Subclasses build widgets in __init__, put every translatable text in
    `retranslate()` (called on every language change) and empty every field
    in `clear()` (called when a signer leaves, so nothing reaches the next).
    """

    def __init__(self, flow: PledgeFlow, object_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.flow = flow
        self.setObjectName(object_name)
        flow.language_changed.connect(lambda _language: self.retranslate())
        flow.cleared.connect(self.clear)

    def retranslate(self) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        """Empty every input; screens without inputs have nothing to clear."""


def button(object_name: str, role: str = "", parent: QWidget | None = None) -> QPushButton:
    widget = QPushButton(parent)
    widget.setObjectName(object_name)
    if role:
        widget.setProperty("role", role)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def label(object_name: str, role: str = "", parent: QWidget | None = None) -> QLabel:
    widget = QLabel(parent)
    widget.setObjectName(object_name)
    widget.setWordWrap(True)
    if role:
        widget.setProperty("role", role)
    return widget


class LanguageButton(QPushButton):
    """Shows the *other* language's name ("English" / "Svenska") and switches to it."""

    def __init__(self, flow: PledgeFlow, parent: QWidget | None = None):
        super().__init__(parent)
        self.flow = flow
        self.setObjectName("languageButton")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clicked.connect(flow.toggle_language)
        flow.language_changed.connect(lambda _language: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.flow.tr("language.switch_to"))
        self.setAccessibleName(self.flow.tr("language.switch_to_accessible"))
