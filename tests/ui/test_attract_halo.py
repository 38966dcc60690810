"""The start button's breathing halo is round, at its widest, as the screen shows it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage


def shown(qtbot, kiosk) -> QImage:  # type: ignore[no-untyped-def]
    """What the window shows now: its backing store, repainted only where the
    attract screen asked, so a repaint region cut too small would show."""
    qtbot.wait(30)  # let the requested repaint happen
    window = kiosk.window
    return window.screen().grabWindow(window.winId()).toImage()


def at(image: QImage, point: QPoint) -> QColor:
    return image.pixelColor(point)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_halo_is_round_and_never_cut_square(qtbot, kiosk, size):
    window, attract = kiosk.window, kiosk.attract
    window.resize(*size)
    qtbot.waitUntil(lambda: attract.size().width() == size[0])
    attract._animation.stop()  # hold the breath where the test needs it
    attract.setProperty("pulse", 0.0)
    resting = shown(qtbot, kiosk)
    attract.setProperty("pulse", 1.0)  # the halo's largest extent
    widest = shown(qtbot, kiosk)

    button = attract.start_button.geometry().translated(attract.mapTo(window, QPoint(0, 0)))
    reach = round(attract._halo_reach())
    assert reach >= 20
    middle = button.center()
    inside_the_round = [
        QPoint(middle.x(), button.top() - reach + 3),  # above the button, near the edge
        QPoint(middle.x(), button.bottom() + reach - 3),  # below it
        QPoint(button.left() - reach + 3, middle.y()),  # beyond each round end
        QPoint(button.right() + reach - 3, middle.y()),
    ]
    for point in inside_the_round:
        assert at(widest, point) != at(resting, point), f"halo not drawn at {point}"
    halo = button.adjusted(-reach, -reach, reach, reach)
    corners = [
        halo.topLeft() + QPoint(2, 2),
        halo.topRight() + QPoint(-2, 2),
        halo.bottomLeft() + QPoint(2, -2),
        halo.bottomRight() + QPoint(-2, -2),
    ]
    for point in corners:
        assert at(widest, point) == at(resting, point), f"square halo at {point}"
