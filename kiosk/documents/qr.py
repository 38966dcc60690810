"""QR codes drawn as vector squares, and the tracked web address they encode.

Each dark module becomes a filled rectangle (horizontal runs merged), so the
code stays sharp at any size and on any printer, unlike an embedded bitmap.

Tracking: when a flyer or receipt is made for an event, the address gets
`utm_source=kiosk`, `utm_medium=<flyer|receipt>` and
`utm_campaign=<event-slug>` (the event's name in lower-case ASCII with
hyphens, e.g. "Råå hamnmarknad" -> "raa-hamnmarknad"), so the campaign's web
statistics show which stall a web signer came from. Without an event the
address is printed exactly as configured in pledge.toml.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from kiosk.documents.style import INK, WHITE

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def slugify(name: str) -> str:
    """'Råå hamnmarknad' -> 'raa-hamnmarknad': safe in a URL and readable in statistics."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "event"


def tracked_url(url: str, event: str | None = None, medium: str = "flyer") -> str:
    """The address with the per-event tracking parameters, or unchanged with no event."""
    if not event:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_")]
    query += [("utm_source", "kiosk"), ("utm_medium", medium), ("utm_campaign", slugify(event))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def qr_matrix(data: str) -> list[list[bool]]:
    """The code's modules without the quiet zone (True = dark)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float, color: Color = INK) -> None:
    """Draw the code with its quiet zone in a `size` square whose lower-left corner is x, y."""
    matrix = qr_matrix(data)
    modules = len(matrix) + 2 * QUIET_ZONE
    step = size / modules
    canvas.saveState()
    canvas.setFillColor(WHITE)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(color)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + QUIET_ZONE) * step
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            # A hair of overlap with the row below hides the seams some viewers
            # anti-alias between touching squares; the union fills the same area.
            left = x + (start + QUIET_ZONE) * step
            path.rect(left, top - step * 1.02, (col - start) * step, step * 1.02)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
