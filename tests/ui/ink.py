"""Where a label's text is drawn, read off its pixels: what a reader sees, not what
Qt's layout says it did."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QWidget

INK = 60  # lightness apart from the background that counts as text


def line_spans(widget: QLabel) -> list[tuple[int, int]]:
    """(leftmost, rightmost) inked column of each line of text, top to bottom.

    The inked rows are cut into lines of the font's line spacing, and each line
    is read in its middle, where only its own letters are: descenders, Arabic
    dots and vowel marks reach into the line above or below.
    """
    window = widget.window()  # grabbed from its window: a label's background is its parent's
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    image = window.grab(area).toImage().convertToFormat(QImage.Format.Format_RGB32)
    background = image.pixelColor(1, 1).lightness()

    def inked(y: int) -> list[int]:
        return [
            x
            for x in range(image.width())
            if abs(image.pixelColor(x, y).lightness() - background) > INK
        ]

    rows = [y for y in range(image.height()) if inked(y)]
    if not rows:
        return []
    top, height = rows[0], rows[-1] - rows[0] + 1
    count = max(1, round(height / widget.fontMetrics().lineSpacing()))
    spans = []
    for line in range(count):
        middle = range(
            top + round((line + 0.35) * height / count), top + round((line + 0.65) * height / count)
        )
        columns = [x for y in middle for x in inked(y)]
        spans.append((min(columns), max(columns)))
    return spans


def right_aligned_arabic(root: QWidget) -> list[QLabel]:
    """Visible wrapped labels of Arabic words under `root`, set on the leading side:
    flush right, in a mirrored screen."""
    found = []
    for widget in root.findChildren(QLabel):
        horizontal = widget.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask
        if (
            widget.isVisibleTo(root)
            and widget.wordWrap()
            and any("\u0600" <= ch <= "\u06ff" for ch in widget.text())
            and horizontal == Qt.AlignmentFlag.AlignLeft  # the leading side
        ):
            found.append(widget)
    return found
