"""The practice banner: on top of every screen while volunteers train."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.flow import PledgeFlow


class PracticeBanner(QLabel):
    def __init__(self, flow: PledgeFlow, parent: QWidget | None = None):
        super().__init__(parent)
        self.flow = flow
        self.setObjectName("practiceBanner")
        self.setProperty("role", "practice")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.hide()
        flow.language_changed.connect(self.on_language_changed)  # a method: disconnects on delete
        self.retranslate()

    def on_language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.flow.words("practice.banner"))
