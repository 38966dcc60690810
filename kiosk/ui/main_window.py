"""The kiosk window: one screen at a time, chosen by the flow's step.

Room to grow: `add_banner` puts a strip above every screen (the practice
banner), `add_screen`/`show_screen` hold screens outside the pledge flow
(the volunteer panel), and overlays are children drawn over the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.flow import PledgeFlow, Step
from kiosk.ui.overlays import CancelOverlay, IdleOverlay, LanguagePicker

# Input that counts as "the signer is still here" for the idle reset.
ACTIVITY_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
}
MINIMUM_SIZE = (800, 560)


class KioskWindow(QWidget):
    def __init__(self, flow: PledgeFlow, screens: dict[Step, QWidget]):
        super().__init__()
        self.setObjectName("kioskWindow")
        self.setMinimumSize(*MINIMUM_SIZE)
        self.flow = flow
        self.screens: dict[str, QWidget] = {}
        # Builds screens not made yet when the flow asks for one (see kiosk.app).
        self.on_missing_screen: Callable[[str], None] | None = None
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("screenStack")
        for key, screen in screens.items():
            self.add_screen(key, screen)
        self.banners = QVBoxLayout()
        self.banners.setContentsMargins(0, 0, 0, 0)
        self.banners.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self.banners)
        layout.addWidget(self.stack, 1)
        self.cancel_overlay = CancelOverlay(flow, self)
        self.idle_overlay = IdleOverlay(flow, self)
        self.language_picker = LanguagePicker(flow, self)
        flow.step_changed.connect(self.on_step_changed)
        flow.language_changed.connect(self.on_language_changed)
        self.on_step_changed(flow.step.value)
        self.on_language_changed(flow.language)
        self.idle_overlay.raise_()

    def add_screen(self, key: str, screen: QWidget) -> None:
        self.screens[key] = screen
        self.stack.addWidget(screen)

    def show_screen(self, key: str) -> None:
        if key not in self.screens and self.on_missing_screen is not None:
            self.on_missing_screen(key)
        self.stack.setCurrentWidget(self.screens[key])

    def add_banner(self, banner: QWidget) -> None:
        self.banners.addWidget(banner)

    def on_step_changed(self, step: str) -> None:
        self.show_screen(step)

    def on_language_changed(self, _language: str) -> None:
        """The words change with the language, and in Arabic every screen mirrors:
        Next on the left, the step's header read from the right (the pad does not)."""
        self.setWindowTitle(self.flow.words("attract.window_title"))
        rtl = self.flow.words.direction == "rtl"
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )

    def current_screen(self) -> QWidget:
        screen = self.stack.currentWidget()
        assert screen is not None, "__init__ shows the flow's step, so a screen is current"
        return screen

    def show_kiosk(self, *, fullscreen: bool = True) -> None:
        """Fill the screen, also where no window manager honours fullscreen (bare Xvfb)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if not fullscreen:
            self.resize(1280, 800)
            self.show()
            return
        if screen is not None:
            self.setGeometry(screen.availableGeometry())
        self.showFullScreen()


class ActivityFilter(QObject):
    """Tells the flow about any touch, click or key, wherever it lands."""

    def __init__(self, flow: PledgeFlow):
        super().__init__(flow)
        self.flow = flow

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and self.flow.step is not Step.ATTRACT:
            self.flow.touch()
        return False
