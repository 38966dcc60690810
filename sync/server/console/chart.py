"""Pictures drawn on the server as SVG: signatures per day, and enrolment QR codes.

No script draws anything in the browser; the SVG uses classes and
presentation attributes only (the Content-Security-Policy forbids inline style).
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

import qrcode
import qrcode.image.svg

from sync.server.web.language import Words

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 600, 200, 36, 24, 10


def per_day_svg(per_day: list[tuple[date, int]], words: Words) -> str:
    """A bar chart of signatures per day, with an accessible title and a label per bar."""
    highest = max((count for _day, count in per_day), default=0) or 1
    slot = (WIDTH - LEFT) / max(len(per_day), 1)
    plot = HEIGHT - BOTTOM - TOP
    title = escape(words("console.overview.chart_title"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title"><title id="chart-title">{title}</title>',
        f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" '
        f'y2="{HEIGHT - BOTTOM}"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end">{words.number(highest)}</text>',
        f'<text x="{LEFT - 4}" y="{HEIGHT - BOTTOM}" text-anchor="end">0</text>',
    ]
    for index, (day, count) in enumerate(per_day):
        height = plot * count / highest
        x = LEFT + index * slot + slot * 0.15
        label = escape(f"{words.date(day)}: {words.number(count)}")
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{HEIGHT - BOTTOM - height:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{height:.1f}"><title>{label}</title></rect>'
        )
        if (index % 7 == 0 and index < len(per_day) - 3) or index == len(per_day) - 1:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                f"{day.day}/{day.month}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def qr_svg(text: str) -> str:
    """A QR code as inline SVG markup (a path; the quiet zone is part of the picture)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    markup = image.to_string(encoding="unicode")
    return markup.replace("<svg ", '<svg role="img" aria-label="QR" ', 1)
