"""A signature pad that keeps only the drawn points.

Mouse and touch both draw. No timing or pressure is recorded: a stroke is
the list of positions the finger passed through, nothing more.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import (
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.pledge import Stroke, normalise_strokes

PEN_WIDTH = 5


class SignaturePad(QWidget):
    """Draw with a finger or the mouse; `strokes()` gives them in the 0..1000 square."""

    changed = Signal()  # the signer drew or cleared

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setProperty("role", "pad")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self._strokes: list[list[tuple[float, float]]] = []
        self._drawing = False
        self.placeholder = ""

    # --- recording ------------------------------------------------------------

    def _begin(self, point: QPointF) -> None:
        self._strokes.append([(point.x(), point.y())])
        self._drawing = True
        self.update()

    def _extend(self, point: QPointF) -> None:
        if self._drawing and self._strokes:
            self._strokes[-1].append((point.x(), point.y()))
            self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position())
            self._end()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:  # the first finger signs; a resting palm does not
                position = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(position)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(position)
                else:
                    self._extend(position)
                    self._end()
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self._end()
            return True
        return super().event(event)

    # --- reading --------------------------------------------------------------

    def strokes(self) -> tuple[Stroke, ...]:
        return normalise_strokes(self._strokes, self.width(), self.height())

    def is_empty(self) -> bool:
        return not self._strokes

    def clear(self) -> None:
        had_strokes = bool(self._strokes)
        self._strokes = []
        self._drawing = False
        self.update()
        if had_strokes:
            self.changed.emit()

    # --- drawing --------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = self.rect().adjusted(2, 2, -2, -2)
        border = QPen(palette.color(QPalette.ColorRole.Highlight), 3)
        if self.hasFocus():
            border = QPen(palette.color(QPalette.ColorRole.AlternateBase), 4)
        painter.setPen(border)
        painter.setBrush(palette.color(QPalette.ColorRole.Window))
        painter.drawRoundedRect(frame, 16, 16)

        # A baseline to sign on, like on paper.
        baseline_y = frame.top() + frame.height() * 0.72
        line = QPen(palette.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine)
        painter.setPen(line)
        painter.drawLine(
            QPointF(frame.left() + 40, baseline_y), QPointF(frame.right() - 40, baseline_y)
        )
        if not self._strokes and self.placeholder:
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                frame.adjusted(40, 0, -40, -(frame.height() - int(baseline_y)) - 8),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                self.placeholder,
            )

        ink = QPen(palette.color(QPalette.ColorRole.WindowText), PEN_WIDTH)
        ink.setCapStyle(Qt.PenCapStyle.RoundCap)
        ink.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(ink)
        for stroke in self._strokes:
            if len(stroke) == 1:
                painter.drawPoint(QPointF(*stroke[0]))
                continue
            path = QPainterPath(QPointF(*stroke[0]))
            for x, y in stroke[1:]:
                path.lineTo(x, y)
            painter.drawPath(path)
        painter.end()
