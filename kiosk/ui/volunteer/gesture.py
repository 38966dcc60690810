"""The hidden gesture that opens the volunteer panel: a long press in a corner.

A press that starts in the window's top-left corner and stays there for
`hold_ms` (3 s by default) emits `triggered`. Passers-by tap; they do not
hold a blank corner for three seconds. It watches the application's
input (kiosk.ui.input_watch), so it sees the press whichever widget is
under the finger.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QTimer, Signal
from PySide6.QtWidgets import QWidget

HOLD_MS = 3000
CORNER_PX = 90

_PRESS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}
_MOVE = {QEvent.Type.MouseMove, QEvent.Type.TouchUpdate}
_RELEASE = {QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel}


class CornerHoldDetector(QObject):
    triggered = Signal()

    def __init__(self, window: QWidget, *, hold_ms: int = HOLD_MS, corner_px: int = CORNER_PX):
        super().__init__(window)
        self.window = window
        self.corner_px = corner_px
        self.hold_timer = QTimer(self, singleShot=True, interval=hold_ms)
        self.hold_timer.timeout.connect(self.triggered)

    def _in_corner(self, event: QEvent) -> bool:
        if hasattr(event, "points"):  # touch
            points = event.points()
            if not points:
                return False
            global_pos = points[0].globalPosition().toPoint()
        else:
            global_pos = event.globalPosition().toPoint()  # type: ignore[attr-defined]
        local: QPoint = self.window.mapFromGlobal(global_pos)
        return QRect(0, 0, self.corner_px, self.corner_px).contains(local)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _PRESS:
            if self.window.isVisible() and self._in_corner(event):
                if not self.hold_timer.isActive():
                    self.hold_timer.start()
            else:
                self.hold_timer.stop()
        elif kind in _MOVE and self.hold_timer.isActive() and not self._in_corner(event):
            self.hold_timer.stop()
        elif kind in _RELEASE:
            self.hold_timer.stop()
        return False
