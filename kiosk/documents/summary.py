"""The summary of one event or a date range: counts and charts, no personal data.

For the volunteers at the end of a day and for the politicians the campaign
talks to. The figures come from kiosk.store.summary_queries (aggregated in
SQL); this module only lays them out on A4.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from kiosk.content import Content
from kiosk.documents import text_runs
from kiosk.documents.dates import long_date
from kiosk.documents.fonts import BOLD, REGULAR, register_fonts
from kiosk.documents.style import DARK_GREEN, GREEN, GREY, INK, LIGHT_GREEN, WHITE
from kiosk.documents.table_order import table_in_reading_order
from kiosk.i18n import Translator, direction
from kiosk.store.summary_queries import SummaryData

TextMaker = Callable[[str, str], "Text"]  # (words, style name) -> a Text flowable

MARGIN = 16 * mm
BODY_W = A4[0] - 2 * MARGIN
BAR_W = 70 * mm
BAND_H = 24 * mm


class Text(Flowable):
    """A paragraph drawn through text_runs: any script, right-aligned on RTL pages.

    Used instead of platypus' Paragraph, which has no font fallback and needs
    rlbidi for right-to-left text. Text is plain, not markup.
    """

    def __init__(self, text: str, style: ParagraphStyle, *, rtl: bool = False) -> None:
        super().__init__()
        self.text, self.style, self.rtl = text, style, rtl
        self.lines: list[str] = []

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        style = self.style
        self.width = available_width
        self.lines = text_runs.wrap(self.text, style.fontName, style.fontSize, available_width)
        self.height = max(len(self.lines), 1) * style.leading
        return self.width, self.height

    def draw(self) -> None:
        style, canvas = self.style, self.canv
        canvas.setFillColor(style.textColor)
        x, align = (self.width, "right") if self.rtl else (0, "left")
        y = self.height - style.fontSize
        for line in self.lines:
            text_runs.draw(
                canvas, x, y, line, style.fontName, style.fontSize, align=align, rtl=self.rtl
            )
            y -= style.leading


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", base, fontName=BOLD, fontSize=20, leading=24, textColor=DARK_GREEN
        ),
        "scope": ParagraphStyle("scope", base, fontSize=11, leading=14, textColor=GREY),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            textColor=GREEN,
            spaceBefore=10,
            spaceAfter=5,
        ),
        "figure": ParagraphStyle(
            "figure", base, fontName=BOLD, fontSize=22, leading=26, textColor=DARK_GREEN
        ),
        "figure_label": ParagraphStyle("figure_label", base, fontSize=8.5, leading=10.5),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        "header": ParagraphStyle(
            "header", base, fontName=BOLD, fontSize=8.5, leading=10.5, textColor=WHITE
        ),
    }


def make_summary(
    content: Content,
    data: SummaryData,
    *,
    scope_line: str,
    language: str = "sv",
    made_at: datetime | None = None,
) -> bytes:
    """The summary as PDF bytes. `scope_line` says what it covers (event or dates)."""
    register_fonts()
    tr = Translator(language=language)
    rtl = direction(language) == "rtl"
    styles = _styles()

    def text(words: str, style: str) -> Text:
        return Text(words, styles[style], rtl=rtl)

    made_at = made_at or datetime.now().astimezone()
    buffer = io.BytesIO()
    title = f"{content.campaign.name(language)} — {tr('print.summary_title')}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=BAND_H + 8 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=content.campaign.name(language),
        subject=scope_line,
        invariant=1,
        initialFontName=REGULAR,
    )
    footer = (
        tr("print.summary_privacy")
        + "   "
        + tr("print.summary_generated", when=f"{tr.date(made_at.date())} {tr.time(made_at)}")
    )

    def decorate(canvas, document) -> None:  # type: ignore[no-untyped-def]
        width, height = A4
        canvas.saveState()
        canvas.setFillColor(GREEN)
        canvas.rect(0, height - BAND_H, width, BAND_H, stroke=0, fill=1)
        canvas.setFillColor(WHITE)
        # Right-to-left pages start at the right margin; the page number moves left.
        start, end, align, other = (
            (width - MARGIN, MARGIN, "right", "left")
            if rtl
            else (MARGIN, width - MARGIN, "left", "right")
        )

        def line(x: float, y: float, words: str, font: str, size: float, align: str) -> None:
            text_runs.draw(canvas, x, y, words, font, size, align=align, rtl=rtl)

        band_y = height - BAND_H
        line(start, band_y + 10 * mm, content.campaign.name(language), BOLD, 15, align)
        line(start, band_y + 5 * mm, content.campaign.goal(language), REGULAR, 9.5, align)
        canvas.setFillColor(GREY)
        line(start, 10 * mm, footer, REGULAR, 7.5, align)
        line(end, 10 * mm, tr("print.summary_page", page=document.page), REGULAR, 7.5, other)
        canvas.restoreState()

    story: list[Flowable] = [
        text(tr("print.summary_title"), "title"),
        text(scope_line, "scope"),
        Spacer(1, 6 * mm),
        _key_figures(tr, data, text, rtl=rtl),
    ]
    if data.per_hour:
        story.append(KeepTogether([text(tr("print.summary_per_hour"), "h2"), _hour_chart(data)]))
    story += _bar_table(
        tr("print.summary_commitments"),
        [(content.commitment_text(cid, language), n) for cid, n in data.commitments],
        text,
        rtl=rtl,
    )
    story += _bar_table(
        tr("print.summary_per_day"),
        [(long_date(day, language), n) for day, n in data.per_day],
        text,
        rtl=rtl,
    )
    areas = [(area, n) for area, n in data.postcode_areas]
    if data.other_areas:
        areas.append((tr("print.summary_postcode_other"), data.other_areas))
    if data.no_postcode:
        areas.append((tr("print.summary_postcode_none"), data.no_postcode))
    story += _bar_table(tr("print.summary_postcodes"), areas, text, rtl=rtl)
    story += _events_table(tr, data, text, rtl=rtl)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _key_figures(tr: Translator, data: SummaryData, text: TextMaker, *, rtl: bool) -> Table:
    figures = [
        (data.total, tr.plural("print.summary_total", data.total)),
        (data.community_opt_ins, tr("print.summary_community")),
        (data.helper_opt_ins, tr("print.summary_helpers")),
        (data.in_helsingborg, tr("print.summary_in_helsingborg")),
    ]
    cells = [
        [
            text(tr.number(value), "figure"),
            text(label, "figure_label"),
        ]
        for value, label in figures
    ]
    return table_in_reading_order(
        [cells],
        [BODY_W / 4] * 4,
        [
            ("FONT", (0, 0), (-1, -1), REGULAR, 9),
            ("BACKGROUND", (0, 0), (-1, -1), LIGHT_GREEN),
            ("LINEAFTER", (0, 0), (-2, -1), 2, WHITE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ],
        rtl=rtl,
    )


def _bar(value: int, maximum: int, *, rtl: bool) -> Drawing:
    """A bar as long as `value` of `maximum`, growing from the side the row is read from."""
    drawing = Drawing(BAR_W, 10, initialFontName=REGULAR)
    length = max(BAR_W * value / maximum if maximum else 0, 0.5)
    x = BAR_W - length if rtl else 0
    # types-reportlab types Rect's **kw as the whole TypedDict (no Unpack): arg-type.
    drawing.add(Rect(x, 1, length, 8, fillColor=GREEN, strokeColor=None))  # type: ignore[arg-type]
    return drawing


def _bar_table(
    heading: str, rows: list[tuple[str, int]], text: TextMaker, *, rtl: bool
) -> list[Flowable]:
    if not rows:
        return []
    maximum = max(n for _label, n in rows)
    table = table_in_reading_order(
        [[text(label, "cell"), _bar(n, maximum, rtl=rtl), f"{n}"] for label, n in rows],
        [BODY_W - BAR_W - 18 * mm, BAR_W + 4 * mm, 14 * mm],
        [
            ("FONT", (0, 0), (1, -1), REGULAR, 8.5),
            ("FONT", (2, 0), (2, -1), BOLD, 8.5),
            ("TEXTCOLOR", (2, 0), (2, -1), INK),
            ("ALIGN", (2, 0), (2, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -2), 0.3, LIGHT_GREEN),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ],
        rtl=rtl,
    )
    title = text(heading, "h2")
    return [KeepTogether([title, table])] if len(rows) <= 25 else [title, table]


def _hour_chart(data: SummaryData) -> Drawing:
    """Columns for each hour from the first to the last with signatures."""
    counts = dict(data.per_hour)
    first, last = min(counts), max(counts)
    hours = list(range(first, last + 1))
    height = 42 * mm
    chart_h = height - 12
    drawing = Drawing(BODY_W, height, initialFontName=REGULAR)
    maximum = max(counts.values())
    slot = BODY_W / len(hours)
    column = slot * 0.7
    drawing.add(Line(0, 10, BODY_W, 10, strokeColor=GREY, strokeWidth=0.4))
    for index, hour in enumerate(hours):
        value = counts.get(hour, 0)
        x = index * slot + (slot - column) / 2
        bar_h = (chart_h - 22) * value / maximum if maximum else 0
        drawing.add(Rect(x, 10, column, max(bar_h, 0.3), fillColor=GREEN, strokeColor=None))  # type: ignore[arg-type]
        drawing.add(
            String(
                x + column / 2,
                12 + bar_h + 2,
                str(value),
                fontName=BOLD,
                fontSize=7.5,
                fillColor=INK,
                textAnchor="middle",
            )
        )
        drawing.add(
            String(
                x + column / 2,
                1,
                f"{hour:02d}",
                fontName=REGULAR,
                fontSize=7.5,
                fillColor=GREY,
                textAnchor="middle",
            )
        )
    return drawing


def _events_table(
    tr: Translator, data: SummaryData, text: TextMaker, *, rtl: bool
) -> list[Flowable]:
    if not data.events:
        return []
    header = [
        text(tr(key), "header")
        for key in (
            "print.summary_col_date",
            "print.summary_col_event",
            "print.summary_col_place",
            "print.summary_col_count",
        )
    ]
    rows = [
        [
            event.date.isoformat(),
            text(event.name, "cell"),
            text(event.place, "cell"),
            f"{event.signatures}",
        ]
        for event in data.events
    ]
    table = table_in_reading_order(
        [header, *rows],
        [24 * mm, BODY_W - 24 * mm - 55 * mm - 16 * mm, 55 * mm, 16 * mm],
        [
            ("FONT", (0, 0), (-1, 0), BOLD, 8.5),
            ("FONT", (0, 1), (-1, -1), REGULAR, 8.5),
            ("FONT", (3, 1), (3, -1), BOLD, 8.5),
            ("TEXTCOLOR", (0, 0), (-1, 0), WHITE),
            ("BACKGROUND", (0, 0), (-1, 0), GREEN),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, LIGHT_GREEN]),
            ("ALIGN", (3, 0), (3, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
        rtl=rtl,
        repeat_rows=1,
    )
    return [text(tr("print.summary_events"), "h2"), table]


def scope_line_for_event(name: str, place: str, day: date, language: str) -> str:
    """'Stortorget lördagsmarknad, Stortorget — 13 juni 2026'."""
    where = f"{name}, {place}" if place else name
    return f"{where} — {long_date(day, language)}"


def scope_line_for_range(start: date, end: date, language: str) -> str:
    return f"{long_date(start, language)} – {long_date(end, language)}"
