"""QR codes drawn straight into a QImage, one module per square.

The code is built once per address and kept: the thank-you screen shows
the same community address to every signer, so nothing grows per flow.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter


@lru_cache(maxsize=8)
def qr_image(url: str, size: int) -> QImage:
    """A black-on-white QR code for `url`, at least `size` pixels square, crisp edges.

    At least, not at most: whole pixels per module round up, so a screen
    asking for a code a phone can read from arm's length never gets less.
    """
    import qrcode  # noqa: PLC0415 - loaded when the first thank-you is shown, not at start-up

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix)
    scale = max(1, -(-size // modules))
    image = QImage(modules * scale, modules * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if dark:
                painter.drawRect(QRect(col * scale, row * scale, scale, scale))
    painter.end()
    return image
