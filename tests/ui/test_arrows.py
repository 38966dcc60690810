"""The arrows on Next, Back and the start button point the way the language reads,
read from the pixels the button draws (a right-to-left mark in the wrong place
once turned Arabic's Next arrow backwards while every string looked right)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from kiosk.flow import Step

GAP = 8  # px without ink between the arrow and the word (two spaces)


def distance(image: QImage, x: int, y: int, colour: tuple[int, ...]) -> int:
    pixel = image.pixelColor(x, y).getRgb()[:3]
    return sum(abs(a - b) for a, b in zip(pixel, colour, strict=True))


def ink(button: QPushButton) -> dict[int, list[int]]:
    """The rows holding text ink in each column the text reaches, left to right."""
    image = button.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    fill = image.pixelColor(14, image.height() // 2).getRgb()[:3]  # inside the border
    margin = 12  # the rounded border is not text
    inked: dict[int, list[int]] = {}
    for x in range(margin, image.width() - margin):
        rows = [
            y for y in range(margin, image.height() - margin) if distance(image, x, y, fill) > 120
        ]
        if rows:
            inked[x] = rows
    return inked


def arrow(button: QPushButton) -> tuple[str, str]:
    """Which side of the word the arrow is drawn, and which way its tip points."""
    inked = ink(button)
    runs: list[tuple[int, int]] = []  # stretches of ink: the words and the arrow
    for x in inked:
        if runs and x - runs[-1][1] <= GAP:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    assert len(runs) >= 2, f"no arrow apart from the word on {button.objectName()}: {runs}"
    first, last = runs[0], runs[-1]
    narrow = min(first, last, key=lambda run: run[1] - run[0])  # the arrow, at one end
    side = "left" if narrow == first else "right"
    heights = [max(inked[x]) - min(inked[x]) for x in range(narrow[0], narrow[1] + 1) if x in inked]
    third = max(1, len(heights) // 3)
    # A chevron is thin at its tip and tall where its arms end.
    tip = "left" if sum(heights[:third]) < sum(heights[-third:]) else "right"
    return side, tip


@pytest.mark.parametrize(
    ("language", "forward", "backward"),
    [("sv", ("right", "right"), ("left", "left")), ("ar", ("left", "left"), ("right", "right"))],
)
def test_next_points_onwards_and_back_points_back(qtbot, kiosk, language, forward, backward):
    kiosk.flow.set_language(language)
    assert arrow(kiosk.attract.start_button) == forward
    kiosk.flow.start()
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.COMMITMENTS)
    screen = kiosk.commitments
    qtbot.waitUntil(screen.next_button.isVisible)
    assert arrow(screen.next_button) == forward
    assert arrow(screen.back_button) == backward
