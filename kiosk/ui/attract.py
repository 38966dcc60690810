"""Step 0: the attract screen seen from across the market."""

from __future__ import annotations

from PySide6.QtCore import Property, QEasingCurve, QPropertyAnimation, Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.content import Content
from kiosk.flow import PledgeFlow
from kiosk.ui.common import LanguageButton, Screen, button, label


class AttractScreen(Screen):
    """The campaign's call, the 2030 goal, the live count and one big start button.

    The start button breathes gently (a slow size pulse) to draw the eye
    without flashing at anyone.
    """

    def __init__(self, flow: PledgeFlow, content: Content, parent: QWidget | None = None):
        super().__init__(flow, "attractScreen", parent)
        self.content = content
        self.count = 0

        self.language_button = LanguageButton(flow, self)
        self.call_label = label("callLabel", "call", self)
        self.call_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.goal_label = label("goalLabel", "goal", self)
        self.goal_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_label = label("countLabel", "count", self)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lagom_label = label("lagomLabel", "muted", self)
        self.lagom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.start_button = button("startButton", "start", self)
        self.start_button.clicked.connect(flow.start)

        top = QHBoxLayout()
        top.addStretch()
        top.addWidget(self.language_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 48)
        layout.addLayout(top)
        layout.addStretch(2)
        layout.addWidget(self.call_label)
        layout.addWidget(self.goal_label)
        layout.addSpacing(24)
        layout.addWidget(self.count_label, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.start_button, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addSpacing(16)
        layout.addWidget(self.lagom_label)
        layout.addStretch(2)

        self._pulse = 0
        self._animation = QPropertyAnimation(self, b"pulse", self)
        self._animation.setStartValue(0)
        self._animation.setKeyValueAt(0.5, 14)
        self._animation.setEndValue(0)
        self._animation.setDuration(2600)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutSine)
        self._animation.setLoopCount(-1)
        self.retranslate()

    def _get_pulse(self) -> int:
        return self._pulse

    def _set_pulse(self, value: int) -> None:
        self._pulse = value
        self.start_button.setContentsMargins(0, 0, 0, 0)
        self.start_button.setMinimumWidth(420 + 2 * value)

    pulse = Property(int, _get_pulse, _set_pulse)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._animation.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._animation.stop()
        super().hideEvent(event)

    def set_count(self, count: int) -> None:
        self.count = count
        self.retranslate()

    def retranslate(self) -> None:
        language = self.flow.language
        campaign = self.content.campaign
        self.call_label.setText(campaign.call(language))
        self.goal_label.setText(campaign.goal(language))
        count = f"{self.count:,}".replace(",", "\u00a0")
        self.count_label.setText(self.flow.tr("attract.count", count=count))
        self.lagom_label.setText(campaign.lagom(language))
        self.start_button.setText(self.flow.tr("attract.start"))
        self.start_button.setAccessibleName(self.flow.tr("attract.start"))
