"""The campaign flyer: A6, A5 or A4, alone or several up on an A4 sheet.

The flyer is drawn once, at A6, and scaled: an A5 is the same design √2
larger and an A4 twice as large, so every size looks alike and the QR code
grows with the paper. N-up sheets place scaled copies on A4 with a gutter
between them and crop marks in the margins, so a volunteer can cut them with
a paper trimmer without slicing into a neighbour's green band.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, A5, A6, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk.content import Content, UpcomingEvent
from kiosk.documents import text_runs
from kiosk.documents.dates import short_date
from kiosk.documents.fonts import BOLD, REGULAR, register_fonts
from kiosk.documents.qr import draw_qr, tracked_url
from kiosk.documents.style import (
    DARK_GREEN,
    GREEN,
    GREY,
    INK,
    LIGHT_GREEN,
    MID_GREEN,
    WHITE,
)
from kiosk.i18n import Translator, direction

PAGE_SIZES = {"a6": A6, "a5": A5, "a4": A4}
# (size, up) -> (sheet, columns, rows). Every flyer on a sheet is upright.
FLYER_LAYOUTS: dict[tuple[str, int], tuple[tuple[float, float], int, int]] = {
    ("a6", 1): (A6, 1, 1),
    ("a5", 1): (A5, 1, 1),
    ("a4", 1): (A4, 1, 1),
    ("a6", 4): (A4, 2, 2),
    ("a5", 2): (landscape(A4), 2, 1),
}
SHEET_MARGIN = 9 * mm  # room for crop marks, outside what most printers cannot reach
GUTTER = 6 * mm  # two cuts between neighbours: no sliver of the next flyer's colour
CROP_MARK = 5 * mm
MAX_EVENTS = 3
_LOWEST_STEP = 15  # points: room for the step's number inside the first block


def _text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    rtl: bool,
    *,
    centre: bool = False,
) -> None:
    """Draw a line that starts at x in the A6 design; mirrored on right-to-left pages.

    On an Arabic flyer the design is mirrored: a line that would start at x
    from the left edge ends at x from the right edge.
    """
    if centre:
        text_runs.draw(canvas, _mirror(x, rtl), y, text, font, size, align="centre", rtl=rtl)
    elif rtl:
        text_runs.draw(canvas, A6[0] - x, y, text, font, size, align="right", rtl=True)
    else:
        text_runs.draw(canvas, x, y, text, font, size)


def _mirror(x: float, rtl: bool, width: float = 0) -> float:
    """Where something `width` wide starting at x goes on a mirrored (RTL) A6 design."""
    return A6[0] - x - width if rtl else x


@dataclass(frozen=True)
class FlyerOptions:
    size: str = "a6"
    up: int = 1
    language: str = "sv"
    event: str | None = None  # the stall's event name: adds tracking to the QR address
    today: date | None = None  # upcoming events before this day are left out


def make_flyer(content: Content, options: FlyerOptions = FlyerOptions()) -> bytes:
    """The flyer as PDF bytes. Raises ValueError for a size/up pair that has no layout."""
    layout = FLYER_LAYOUTS.get((options.size, options.up))
    if layout is None:
        allowed = ", ".join(f"{s} ×{u}" for s, u in FLYER_LAYOUTS)
        raise ValueError(f"no layout for {options.size} ×{options.up}; choose one of {allowed}")
    register_fonts()
    sheet, columns, rows = layout
    tr = Translator(language=options.language)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=sheet,
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,  # type: ignore[arg-type]  # types-reportlab says float
    )
    canvas.setTitle(content.campaign.call(options.language))
    canvas.setAuthor(content.campaign.name(options.language))
    canvas.setSubject(tr("print.flyer_scan"))

    flyer_w, flyer_h = PAGE_SIZES[options.size]
    if columns * rows == 1:
        _draw_flyer(canvas, content, tr, options, width=flyer_w, height=flyer_h)
    else:
        _draw_sheet(canvas, content, tr, options, sheet, columns, rows, flyer_w, flyer_h)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_sheet(
    canvas: Canvas,
    content: Content,
    tr: Translator,
    options: FlyerOptions,
    sheet: tuple[float, float],
    columns: int,
    rows: int,
    flyer_w: float,
    flyer_h: float,
) -> None:
    sheet_w, sheet_h = sheet
    fit = min(
        (sheet_w - 2 * SHEET_MARGIN - (columns - 1) * GUTTER) / (columns * flyer_w),
        (sheet_h - 2 * SHEET_MARGIN - (rows - 1) * GUTTER) / (rows * flyer_h),
    )
    tile_w, tile_h = flyer_w * fit, flyer_h * fit
    left = (sheet_w - columns * tile_w - (columns - 1) * GUTTER) / 2
    bottom = (sheet_h - rows * tile_h - (rows - 1) * GUTTER) / 2
    xs = [left + c * (tile_w + GUTTER) for c in range(columns)]
    ys = [bottom + r * (tile_h + GUTTER) for r in range(rows)]
    for x in xs:
        for y in ys:
            canvas.saveState()
            canvas.translate(x, y)
            _draw_flyer(canvas, content, tr, options, width=tile_w, height=tile_h)
            canvas.restoreState()
    _crop_marks(canvas, xs, ys, tile_w, tile_h, sheet_w, sheet_h)


def _crop_marks(
    canvas: Canvas,
    xs: list[float],
    ys: list[float],
    tile_w: float,
    tile_h: float,
    sheet_w: float,
    sheet_h: float,
) -> None:
    """Thin lines in the sheet margins, in line with every cut."""
    cuts_x = sorted({x for x0 in xs for x in (x0, x0 + tile_w)})
    cuts_y = sorted({y for y0 in ys for y in (y0, y0 + tile_h)})
    low_y, high_y = min(ys), max(ys) + tile_h
    low_x, high_x = min(xs), max(xs) + tile_w
    gap = 1.5 * mm  # marks stop short of the flyer so a slightly-off cut leaves no line
    canvas.saveState()
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.25)
    for x in cuts_x:
        canvas.line(x, low_y - gap, x, max(low_y - gap - CROP_MARK, 0))
        canvas.line(x, high_y + gap, x, min(high_y + gap + CROP_MARK, sheet_h))
    for y in cuts_y:
        canvas.line(low_x - gap, y, max(low_x - gap - CROP_MARK, 0), y)
        canvas.line(high_x + gap, y, min(high_x + gap + CROP_MARK, sheet_w), y)
    canvas.restoreState()


def _draw_flyer(
    canvas: Canvas,
    content: Content,
    tr: Translator,
    options: FlyerOptions,
    *,
    width: float,
    height: float,
) -> None:
    """One flyer filling width × height from the current origin, designed at A6.

    A-sizes are not exactly similar (A4 is 2 × A6 wide but 297, not 296 mm,
    tall), so the scaled design hangs from the top edge: the green band
    reaches the cut, and the spare millimetre falls below the QR code.
    """
    scale = width / A6[0]
    canvas.saveState()
    canvas.translate(0, height - A6[1] * scale)
    canvas.scale(scale, scale)
    lang = options.language
    rtl = direction(lang) == "rtl"
    campaign = content.campaign
    width, height = A6
    margin = 8 * mm
    text_w = width - 2 * margin

    # Green band: who we are and what we ask.
    call_lines = text_runs.wrap(campaign.call(lang), BOLD, 21, text_w)
    band_h = 20 * mm + len(call_lines) * 24
    canvas.setFillColor(GREEN)
    canvas.rect(0, height - band_h, width, band_h, stroke=0, fill=1)
    canvas.setFillColor(WHITE)
    _text(canvas, margin, height - 11 * mm, campaign.name(lang).upper(), BOLD, 8.5, rtl)
    y = height - 11 * mm - 27
    for line in call_lines:
        _text(canvas, margin, y, line, BOLD, 21, rtl)
        y -= 24

    # The goal, big, then why it matters.
    y = height - band_h - 9 * mm
    canvas.setFillColor(GREEN)
    _text(canvas, margin, y, campaign.goal_short(lang), BOLD, 17, rtl)
    y -= 13
    body = _Paragraphs(leading=10.5, rtl=rtl)
    y = _paragraph(canvas, campaign.goal(lang), REGULAR, 8, INK, margin, y, text_w, **body)
    y -= 4
    y = _paragraph(canvas, campaign.why(lang), REGULAR, 8, GREY, margin, y, text_w, **body)

    # QR code and the address in words, for those without a camera.
    qr_size = 36 * mm
    qr_y = 9 * mm
    url = tracked_url(campaign.website_url, options.event, medium="flyer")
    canvas.setFillColor(LIGHT_GREEN)
    canvas.roundRect(
        margin - 2 * mm, qr_y - 2 * mm, text_w + 4 * mm, qr_size + 4 * mm, 3 * mm, stroke=0, fill=1
    )
    draw_qr(canvas, url, _mirror(margin, rtl, qr_size), qr_y, qr_size)
    right_x = margin + qr_size + 4 * mm
    right_w = width - margin - right_x
    ty = qr_y + qr_size - 14
    canvas.setFillColor(DARK_GREEN)
    for line in text_runs.wrap(tr("print.flyer_scan"), BOLD, 13, right_w):
        _text(canvas, right_x, ty, line, BOLD, 13, rtl)
        ty -= 15
    ty -= 2
    shown_url = campaign.website_url.removeprefix("https://").removeprefix("http://").rstrip("/")
    ty = _paragraph(
        canvas,
        tr("print.flyer_or_visit", url=shown_url),
        REGULAR,
        7.5,
        INK,
        right_x,
        ty,
        right_w,
        leading=9.5,
        rtl=rtl,
    )
    small = _Paragraphs(leading=9.5, rtl=rtl)
    _paragraph(canvas, campaign.lagom(lang), REGULAR, 7.5, GREY, right_x, ty - 6, right_w, **small)

    # Between goal and QR: upcoming events when listed, and the staircase when it fits.
    events = content.events_from(options.today or date.today())[:MAX_EVENTS]
    area_top = y - 7
    area_bottom = qr_y + qr_size + 4 * mm
    if events:
        area_top = _events(canvas, tr, events, lang, margin, area_top, text_w, rtl) - 4
    if area_top - area_bottom >= 24 * mm:
        _staircase(canvas, content, tr, lang, margin, area_top, area_bottom, text_w, rtl)
    canvas.restoreState()


class _Paragraphs(TypedDict):
    """The keyword arguments several paragraphs of one column share."""

    leading: float
    rtl: bool


def _paragraph(
    canvas: Canvas,
    text: str,
    font: str,
    size: float,
    color: Color,
    x: float,
    y: float,
    width: float,
    *,
    leading: float,
    rtl: bool,
) -> float:
    """Draw wrapped text from baseline y downwards; return the next free baseline."""
    canvas.setFillColor(color)
    for line in text_runs.wrap(text, font, size, width):
        _text(canvas, x, y, line, font, size, rtl)
        y -= leading
    return y


def _staircase(
    canvas: Canvas,
    content: Content,
    tr: Translator,
    lang: str,
    x: float,
    top: float,
    bottom: float,
    width: float,
    rtl: bool,
) -> None:
    """The engagement staircase as four rising steps (rising leftwards on RTL pages)."""
    steps = content.staircase[:4]
    if not steps:
        return
    canvas.setFillColor(DARK_GREEN)
    _text(canvas, x, top - 2, tr("print.flyer_staircase"), BOLD, 9, rtl)
    base = bottom + 3
    step_w = width / len(steps)
    available = top - 14 - base
    label_h = 21
    shades = [MID_GREEN, GREEN, GREEN, DARK_GREEN]
    for index, step in enumerate(steps):
        rise = (available - label_h - _LOWEST_STEP) * index / max(len(steps) - 1, 1)
        block_h = _LOWEST_STEP + rise
        sx = x + index * step_w
        canvas.setFillColor(shades[min(index, len(shades) - 1)])
        canvas.rect(_mirror(sx, rtl, step_w - 1.5), base, step_w - 1.5, block_h, stroke=0, fill=1)
        canvas.setFillColor(WHITE)
        number_x = sx + (step_w - 1.5) / 2
        _text(canvas, number_x, base + block_h - 12, str(step.step), BOLD, 10, rtl, centre=True)
        canvas.setFillColor(INK)
        title_lines = text_runs.wrap(step.title(lang), BOLD, 6.5, step_w - 3)
        ly = base + block_h + 4 + 8 * (len(title_lines) - 1)
        for line in title_lines:
            _text(canvas, sx, ly, line, BOLD, 6.5, rtl)
            ly -= 8


def _events(
    canvas: Canvas,
    tr: Translator,
    events: tuple[UpcomingEvent, ...],
    lang: str,
    x: float,
    top: float,
    width: float,
    rtl: bool,
) -> float:
    """List the events from `top` down; return where the list ends."""
    canvas.setFillColor(DARK_GREEN)
    _text(canvas, x, top - 2, tr("print.flyer_events"), BOLD, 9, rtl)
    y = top - 15
    for event in events:
        canvas.setFillColor(GREEN)
        _text(canvas, x, y, short_date(event.date, lang), BOLD, 8, rtl)
        label = event.title(lang) + (f", {event.place(lang)}" if event.place else "")
        lines = text_runs.wrap(label, REGULAR, 8, width - 16 * mm)
        canvas.setFillColor(INK)
        for line in lines[:2]:
            _text(canvas, x + 16 * mm, y, line, REGULAR, 8, rtl)
            y -= 10
        y -= 3
    return y
