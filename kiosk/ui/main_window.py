"""The kiosk window: one screen at a time, chosen by the flow's step."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.flow import PledgeFlow, Step

# Input that counts as "the signer is still here" for the idle reset.
ACTIVITY_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
}


class KioskWindow(QWidget):
    def __init__(self, flow: PledgeFlow, screens: dict[Step, QWidget]):
        super().__init__()
        self.setObjectName("kioskWindow")
        self.flow = flow
        self.screens = screens
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("screenStack")
        for screen in screens.values():
            self.stack.addWidget(screen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        flow.step_changed.connect(self.on_step_changed)
        flow.language_changed.connect(self.on_language_changed)
        self.on_step_changed(flow.step.value)
        self.on_language_changed(flow.language)

    def on_step_changed(self, step: str) -> None:
        self.stack.setCurrentWidget(self.screens[Step(step)])

    def on_language_changed(self, language: str) -> None:
        self.setWindowTitle(self.flow.tr("attract.start"))

    def current_screen(self) -> QWidget:
        return self.stack.currentWidget()


class ActivityFilter(QObject):
    """Tells the flow about any touch, click or key, wherever it lands."""

    def __init__(self, flow: PledgeFlow):
        super().__init__(flow)
        self.flow = flow

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in ACTIVITY_EVENTS and self.flow.step is not Step.ATTRACT:
            self.flow.touch()
        return False
