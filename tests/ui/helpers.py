"""How a signer touches the kiosk in tests: tap, type (any script), draw."""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def tap(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    assert widget.isVisible(), f"{widget.objectName()} is not on screen"
    assert widget.isEnabled(), f"{widget.objectName()} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose_language(qtbot, kiosk, button: QWidget, language: str) -> None:  # type: ignore[no-untyped-def]
    """Tap a screen's language button, then (three or more offered) the language in the picker."""
    tap(qtbot, button)
    picker = kiosk.window.language_picker
    if picker.isVisible():
        tap(qtbot, picker.buttons[language])
    assert kiosk.flow.language == language


def type_text(widget: QWidget, text: str) -> None:
    """Type like a keyboard would, one key event per character.

    qtbot.keyClicks aborts the process on non-ASCII text, so the events
    carry the character as their text (what an on-screen keyboard sends).
    """
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def _mouse(widget: QWidget, kind: QEvent.Type, point: tuple[float, float], down: bool) -> None:
    local = QPointF(*point)
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    buttons = Qt.MouseButton.LeftButton if down else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind,
        local,
        QPointF(widget.mapToGlobal(local.toPoint())),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def draw(widget: QWidget, points: Iterable[tuple[float, float]]) -> None:
    """One stroke with the mouse: press, move through the points, release."""
    points = list(points)
    _mouse(widget, QEvent.Type.MouseButtonPress, points[0], True)
    for point in points[1:]:
        _mouse(widget, QEvent.Type.MouseMove, point, True)
    _mouse(widget, QEvent.Type.MouseButtonRelease, points[-1], False)


def signature_points(widget: QWidget) -> list[tuple[float, float]]:
    """A looping line across most of the pad, like a hurried signature."""
    width, height = widget.width(), widget.height()
    points = []
    for i in range(121):
        t = i / 120
        x = 0.12 + 0.76 * t + 0.035 * math.sin(9 * math.pi * t)
        y = (
            0.55
            - 0.16 * math.cos(9 * math.pi * t) * (1 - 0.5 * t)
            - 0.06 * math.sin(2 * math.pi * t)
        )
        points.append((width * x, height * y))
    return points


def touch_draw(widget: QWidget, points: list[tuple[int, int]]) -> None:
    """One stroke with a finger on a touchscreen."""
    device = QTest.createTouchDevice()
    QTest.touchEvent(widget, device).press(0, QPoint(*points[0]), widget).commit()
    for point in points[1:]:
        QTest.touchEvent(widget, device).move(0, QPoint(*point), widget).commit()
    QTest.touchEvent(widget, device).release(0, QPoint(*points[-1]), widget).commit()
