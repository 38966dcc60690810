"""Step 0: the attract screen seen from across the market."""

from __future__ import annotations

import math

from PySide6.QtCore import Property, QEasingCurve, QPropertyAnimation, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.content import Content
from kiosk.flow import PledgeFlow
from kiosk.ui.common import LanguageButton, Screen, arrowed, button, label, set_texts

DESIGN_SIZE = (1280, 800)  # the sizes in the stylesheet are for this window
SCALE_LIMITS = (0.6, 2.0)
HALO_PX = 26  # how far the start button's glow reaches at its widest


class AttractScreen(Screen):
    """The campaign's call, the 2030 goal, the live count and one big start button.

    Gentle motion: a soft halo breathes around the start button (no layout
    change, no flashing). Text scales with the window so it stays readable
    from across a market on a big screen and never overlaps on a small one.
    """

    first_painted = Signal()  # start-up waits for this before loading the store

    def __init__(self, flow: PledgeFlow, content: Content, parent: QWidget | None = None):
        super().__init__(flow, "attractScreen", parent)
        self.content = content
        self._painted = False
        self.count: int | None = None
        self._scale = 0.0

        self.name_label = label("campaignLabel", "heading", self)
        self.language_button = LanguageButton(flow, self)
        self.call_label = label("callLabel", "call", self)
        self.call_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.goal_label = label("goalLabel", "goal", self)
        self.goal_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_label = label("countLabel", "count", self)
        self.count_label.setWordWrap(False)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lagom_label = label("lagomLabel", "muted", self)
        self.lagom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.start_button = button("startButton", "start", self)
        self.start_button.clicked.connect(flow.start)

        top = QHBoxLayout()
        top.addWidget(self.name_label, 1)
        top.addWidget(self.language_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 28, 48, 40)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addStretch(2)
        layout.addWidget(self.call_label)
        layout.addWidget(self.goal_label)
        layout.addSpacing(20)
        layout.addWidget(self.count_label, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addSpacing(HALO_PX)
        layout.addWidget(self.start_button, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addSpacing(HALO_PX)
        layout.addWidget(self.lagom_label)
        layout.addStretch(2)

        self._pulse = 0.0
        self._animation = QPropertyAnimation(self, b"pulse", self)
        self._animation.setStartValue(0.0)
        self._animation.setKeyValueAt(0.5, 1.0)
        self._animation.setEndValue(0.0)
        self._animation.setDuration(2800)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutSine)
        self._animation.setLoopCount(-1)
        self._rescale()
        self.retranslate()

    # --- motion ---------------------------------------------------------------

    def _get_pulse(self) -> float:
        return self._pulse

    def _halo_reach(self) -> float:
        """How far the halo reaches at its widest, for this window's scale."""
        return HALO_PX * max(self._scale, 0.6)

    def _set_pulse(self, value: float) -> None:
        self._pulse = value
        # Repaint all the halo can cover (and a pixel for antialiasing): a smaller
        # region cut the glow off square at its widest on a big screen.
        reach = math.ceil(self._halo_reach()) + 2
        self.update(self.start_button.geometry().adjusted(-reach, -reach, reach, reach))

    pulse = Property(float, _get_pulse, _set_pulse)

    def showEvent(self, event: QShowEvent) -> None:
        self._animation.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._animation.stop()
        super().hideEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        green = self.start_button.palette().color(QPalette.ColorRole.Button)
        # Two soft discs in the corners frame the text without competing with it.
        for x, y, radius, alpha in ((-0.08, 1.05, 0.42, 22), (1.06, -0.1, 0.32, 16)):
            disc = QColor(green)
            disc.setAlpha(alpha)
            painter.setBrush(disc)
            r = radius * max(self.width(), self.height())
            painter.drawEllipse(QRectF(x * self.width() - r, y * self.height() - r, 2 * r, 2 * r))
        # The breathing halo around the start button.
        spread = 4 + self._pulse * (self._halo_reach() - 4)
        rect = QRectF(self.start_button.geometry()).adjusted(-spread, -spread, spread, spread)
        for step, alpha in ((1.0, 40), (0.55, 70)):
            glow = QColor(green)
            glow.setAlpha(round(alpha * (1.0 - 0.5 * self._pulse)))
            painter.setBrush(glow)
            inset = (1 - step) * spread
            ring = rect.adjusted(inset, inset, -inset, -inset)
            painter.drawRoundedRect(ring, ring.height() / 2, ring.height() / 2)
        painter.end()
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    # --- size -----------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        """Scale the big texts to the window; a stylesheet keeps colours in the theme."""
        width, height = DESIGN_SIZE
        low, high = SCALE_LIMITS
        scale = max(low, min(high, self.width() / width, self.height() / height))
        if abs(scale - self._scale) < 0.04:
            return
        self._scale = scale

        def px(size: float) -> str:
            return f"{round(size * scale)}px"

        self.setStyleSheet(
            f"""
            QLabel#callLabel {{ font-size: {px(76)}; }}
            QLabel#goalLabel {{ font-size: {px(34)}; }}
            QLabel#countLabel {{ font-size: {px(40)}; padding: {px(12)} {px(32)};
                border-radius: {px(20)}; }}
            QLabel#lagomLabel {{ font-size: {px(26)}; }}
            QLabel#campaignLabel {{ font-size: {px(26)}; }}
            QPushButton#startButton {{ font-size: {px(50)}; min-height: {px(120)};
                min-width: {px(440)}; border-radius: {px(60)}; padding: {px(16)} {px(64)}; }}
            """
        )

    # --- content --------------------------------------------------------------

    def set_count(self, count: int | None) -> None:
        """The live count; None (the store is still opening) hides the pill."""
        self.count = count
        self.count_label.setVisible(count is not None)
        self.retranslate()

    def retranslate(self) -> None:
        language = self.flow.language
        campaign = self.content.campaign
        self.name_label.setText(campaign.name(language))
        self.call_label.setText(campaign.call(language))
        self.goal_label.setText(campaign.goal(language))
        count = self.count or 0  # formatted by CLDR in the catalogue lookup
        self.count_label.setText(self.flow.words.plural("attract.count", count, count=count))
        self.lagom_label.setText(campaign.lagom(language))
        start = self.flow.words("attract.start")
        set_texts(self.start_button, arrowed(start, self.flow.words.direction), start)
