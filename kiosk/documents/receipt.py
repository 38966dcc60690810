"""The signer's receipt: name, date, the commitments chosen and a QR code.

Printed only when a signer asks for one at the thank-you screen. Two sizes:
A6 for an office printer, and an 80 mm roll for a receipt printer, whose
page is exactly as long as its content.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk.content import Content
from kiosk.documents import text_runs
from kiosk.documents.dates import long_date
from kiosk.documents.fonts import BOLD, REGULAR, register_fonts
from kiosk.documents.qr import draw_qr, tracked_url
from kiosk.documents.style import DARK_GREEN, GREEN, GREY, INK, WHITE
from kiosk.i18n import Translator, direction
from sync.privacy.withdrawal import display_code, withdrawal_page

ROLL_WIDTH = 80 * mm
RECEIPT_SIZES = ("a6", "80mm")


def make_receipt(
    content: Content,
    *,
    name: str,
    signed_on: date,
    commitments: Sequence[str],
    language: str = "sv",
    size: str = "a6",
    event: str | None = None,
    withdrawal_code: str | None = None,
    withdrawal_at: str | None = None,
) -> bytes:
    """The receipt as PDF bytes; `commitments` are ids from pledge.toml.

    With `withdrawal_code` (PledgeFlow.withdrawal_code()) the receipt tells
    the signer how to withdraw: the code and the website's withdrawal page.
    The name prints in any script the fonts cover; words no font can draw
    are left out, and with none left the thanks is said without a name.
    """
    if size not in RECEIPT_SIZES:
        raise ValueError(f"receipt size {size!r}: choose one of {', '.join(RECEIPT_SIZES)}")
    register_fonts()
    tr = Translator(language=language)
    rtl = direction(language) == "rtl"
    shown_name = text_runs.printable(name, BOLD)
    thanks = (
        tr("print.receipt_thanks", name=shown_name)
        if shown_name
        # TRANSLATORS: the receipt's thanks when no part of the signer's name can be printed.
        else tr("print.receipt_thanks_anonymous")
    )
    roll = size == "80mm"
    width = ROLL_WIDTH if roll else A6[0]
    margin = 4 * mm if roll else 8 * mm
    text_w = width - 2 * margin
    qr_size = min(40 * mm, text_w)
    url = tracked_url(content.campaign.community_url, event, medium="receipt")

    band_h = 14 * mm
    next_step = content.staircase[1].title(language) if len(content.staircase) > 1 else ""
    below_qr = 14 * mm + (12 if next_step else 0)

    def layout(body: float) -> list[tuple[str, float, Color, str, float]]:
        """Everything below the band, as (font, size, colour, line, space after) rows."""
        rows: list[tuple[str, float, Color, str, float]] = []

        def add(text: str, font: str, size: float, color: Color, after: float = 0) -> None:
            lines = text_runs.wrap(text, font, size, text_w)
            for index, line in enumerate(lines):
                rows.append((font, size, color, line, after if index == len(lines) - 1 else 0))

        add(thanks, BOLD, 15, DARK_GREEN, 4)
        add(
            tr("print.receipt_signed_on", date=long_date(signed_on, language)),
            REGULAR,
            body,
            INK,
            8,
        )
        add(tr("print.receipt_committed"), BOLD, body + 0.5, GREEN, 3)
        for commitment_id in commitments:
            add("•  " + content.commitment_text(commitment_id, language), REGULAR, body, INK, 2)
        if withdrawal_code:
            campaign = content.campaign
            page = withdrawal_at or withdrawal_page(
                campaign.withdrawal_url, None, campaign.website_url
            )
            shown_page = page.removeprefix("https://").removeprefix("http://")
            code = display_code(withdrawal_code)
            add(tr("print.receipt_withdraw", code=code, url=shown_page), REGULAR, body - 1, GREY, 2)
        return rows

    # The roll grows with the text; on A6 a long list gets smaller type and a
    # smaller (still scannable) QR code rather than running off the page.
    for body in (8.5, 7.5, 6.5):
        rows = layout(body)
        rows_h = sum(size * 1.3 + after for _f, size, _c, _l, after in rows)
        room = A6[1] - band_h - 6 * mm - rows_h - 2 * mm - below_qr - 6 * mm
        if roll or room >= 30 * mm:
            break
    if not roll:
        qr_size = max(min(qr_size, room), 22 * mm)
    tail_h = 8 * mm + qr_size + below_qr
    height = A6[1] if not roll else band_h + 6 * mm + rows_h + tail_h

    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(width, height),
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,  # type: ignore[arg-type]  # types-reportlab says float
    )
    canvas.setTitle(thanks)
    canvas.setAuthor(content.campaign.name(language))

    canvas.setFillColor(GREEN)
    canvas.rect(0, height - band_h, width, band_h, stroke=0, fill=1)
    canvas.setFillColor(WHITE)
    # Right-to-left pages (Arabic) hang every line from the right margin.
    line_x, align = (width - margin, "right") if rtl else (margin, "left")

    def line(x: float, y: float, text: str, font: str, size: float, align: str = align) -> None:
        text_runs.draw(canvas, x, y, text, font, size, align=align, rtl=rtl)

    line(line_x, height - band_h + 5.5 * mm, content.campaign.name(language), BOLD, 9)
    line(line_x, height - band_h + 2 * mm, content.campaign.goal_short(language), REGULAR, 7.5)

    y = height - band_h - 6 * mm - 12
    for row_font, row_size, row_color, row_text, after in rows:
        canvas.setFillColor(row_color)
        line(line_x, y, row_text, row_font, row_size)
        y -= row_size * 1.3 + after

    qr_top = min(y - 2 * mm, 8 * mm + qr_size + below_qr)
    qr_x = (width - qr_size) / 2
    draw_qr(canvas, url, qr_x, qr_top - qr_size, qr_size)
    canvas.setFillColor(DARK_GREEN)
    line(width / 2, qr_top - qr_size - 11, tr("print.receipt_scan"), BOLD, 9, "centre")
    canvas.setFillColor(GREY)
    shown = content.campaign.community_url.removeprefix("https://").removeprefix("http://")
    line(width / 2, qr_top - qr_size - 21, shown, REGULAR, 7, "centre")
    if next_step:
        canvas.setFillColor(INK)
        step_line = tr("print.receipt_next_step", step=next_step)
        line(width / 2, qr_top - qr_size - 33, step_line, REGULAR, 7, "centre")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
