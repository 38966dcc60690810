"""Text in any script on paper: font fallback, right-to-left order and shaping.

Every document measures, wraps and draws its words through this module, so a
name in Arabic, Chinese or Vietnamese prints the same way on a receipt, a
flyer or a summary. A line is cut into runs of one font and one direction:

- fonts: Noto Sans (Latin, Greek, Cyrillic), then Noto Sans Arabic (Arabic,
  Persian, Urdu), both shipped in resources/fonts; then whatever system font
  fontconfig (`fc-list`) knows for a character neither covers (Chinese from
  fonts-wqy-zenhei, Devanagari from fonts-noto-core …). Only TrueType outlines
  qualify: reportlab cannot embed CFF (.otf) fonts.
- direction: the Unicode bidi algorithm (python-bidi) gives each character
  its level; runs are reordered for display by rule L2, so a Swedish
  sentence holding an Arabic name keeps both directions right.
- shaping: right-to-left runs and runs in a fallback font go through
  HarfBuzz (reportlab's `shapeStr`), which joins Arabic letters and places
  marks. Noto Sans text is left unshaped so that "fi" stays two letters for
  anyone who copies text out of the PDF.

A character no font covers cannot be drawn: `printable()` leaves out the
words holding one and logs the script that lacked a font, never the text.
"""

from __future__ import annotations

import logging
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import cast

import uharfbuzz
from bidi import algorithm as bidi_algorithm
from bidi.mirror import MIRRORED
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFError, TTFont, shapeFragWord
from reportlab.pdfgen.canvas import Canvas

from kiosk.documents.fonts import ARABIC, ARABIC_BOLD, BOLD, REGULAR, register_fonts

log = logging.getLogger(__name__)

_STRONG_RTL = {"R", "AL", "RLE", "RLO", "RLI"}
# Kerning and the ligatures every Arabic text needs; not reportlab's default
# discretionary ligatures, which turn "محمد" into an ornate honorific glyph.
_FEATURES = {"kern": True, "liga": True}
# The shipped fonts, tried in this order before the system's.
_SHIPPED = {REGULAR: (REGULAR, ARABIC), BOLD: (BOLD, ARABIC_BOLD)}


@dataclass(frozen=True)
class Run:
    """Part of a line in one font and direction; `text` in logical order."""

    text: str
    font: str
    rtl: bool


def printable(text: str, face: str = REGULAR) -> str:
    """`text` without the words that hold a character no font can draw.

    White space is tidied so nothing shows where a word was left out. The
    log names the scripts that lacked a font (ISO 15924 codes), never the
    words themselves: they are a signer's name.
    """
    text = unicodedata.normalize("NFC", text)
    kept, missing = [], set()
    for word in text.split():
        lacking = {ch for ch in word if _font_for(ch, face) is None}
        if lacking:
            missing |= {_script(ch) for ch in lacking}
        else:
            kept.append(word)
    if missing:
        log.warning(
            "no font draws the %s script: left out of the printed text",
            ", ".join(sorted(missing)),
        )
    return " ".join(kept)


def width(text: str, face: str, size: float) -> float:
    """The width of `text` drawn in `face` (REGULAR or BOLD) at `size` points."""
    return sum(_run_width(run, size) for run in runs(text, face))


def wrap(text: str, face: str, size: float, max_width: float) -> list[str]:
    """Lines of `text` (logical order) that each fit `max_width` points.

    Breaks at spaces; a single word wider than the line stays whole rather
    than being cut inside a name.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and width(candidate, face, size) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def draw(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    face: str,
    size: float,
    *,
    align: str = "left",
    rtl: bool = False,
) -> float:
    """Draw one line at baseline y; returns its width.

    `align` is "left" (x is the left edge), "right" (x is the right edge)
    or "centre"; `rtl` makes the paragraph right-to-left (an Arabic page),
    which decides where neutral characters such as "!" go.
    """
    visual = display_runs(text, face, rtl=rtl)
    widths = [_run_width(run, size) for run in visual]
    total = sum(widths)
    if align == "right":
        x -= total
    elif align == "centre":
        x -= total / 2
    for run, run_width in zip(visual, widths, strict=True):
        canvas.setFont(run.font, size)
        canvas.drawString(x, y, _drawable(run, size))
        x += run_width
    return total


def runs(text: str, face: str, *, rtl: bool = False) -> list[Run]:
    """`text` cut into runs of one font and one bidi level, in logical order."""
    register_fonts()
    text = unicodedata.normalize("NFC", text)
    levels = _levels(text, rtl)
    found: list[Run] = []
    current_font: str | None = None
    start = 0
    for index, ch in enumerate(text):
        font = _font_of(ch, face, current_font)
        if index and (font != current_font or levels[index] != levels[index - 1]):
            found.append(Run(text[start:index], current_font or face, levels[index - 1] % 2 == 1))
            start = index
        current_font = font
    if text:
        found.append(Run(text[start:], current_font or face, levels[-1] % 2 == 1))
    return found


def display_runs(text: str, face: str, *, rtl: bool = False) -> list[Run]:
    """The runs in the order they are drawn, left to right (bidi rule L2)."""
    logical = runs(text, face, rtl=rtl)
    if not logical:
        return []
    levels = _run_levels(text, logical, rtl)
    order = list(range(len(logical)))
    lowest_odd = min((level for level in levels if level % 2), default=None)
    if lowest_odd is None:
        return logical
    for level in range(max(levels), lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] >= level:
                end = index
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    return [logical[i] for i in order]


def _run_levels(text: str, logical: list[Run], rtl: bool) -> list[int]:
    levels = _levels(unicodedata.normalize("NFC", text), rtl)
    result, position = [], 0
    for run in logical:
        result.append(levels[position])
        position += len(run.text)
    return result


def _levels(text: str, rtl: bool) -> list[int]:
    """Each character's resolved bidi level (rules P2-I2 of UAX #9)."""
    base = 1 if rtl else 0
    if not any(unicodedata.bidirectional(ch) in _STRONG_RTL for ch in text) and (
        not rtl or any(unicodedata.bidirectional(ch) == "L" for ch in text)
    ):
        # Left to right without running the algorithm: the common case, and on a
        # right-to-left page a text with letters of no right-to-left script (UAX #9's
        # P2: its first strong letter sets its direction), such as a Swedish event
        # name or fallback sentence, whose full stop then stays at its end. Numbers
        # alone ("12–14") keep the page's direction.
        return [0] * len(text)
    storage = bidi_algorithm.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    bidi_algorithm.get_embedding_levels(text, storage, upper_is_rtl=False, debug=False)
    bidi_algorithm.explicit_embed_and_overrides(storage, debug=False)
    bidi_algorithm.resolve_weak_types(storage, debug=False)
    bidi_algorithm.resolve_neutral_types(storage, debug=False)
    bidi_algorithm.resolve_implicit_levels(storage, debug=False)
    return [int(entry["level"]) for entry in storage["chars"]]


def _drawable(run: Run, size: float) -> str:
    """The run's glyphs in visual order, shaped where the script needs it."""
    if run.rtl and not any(unicodedata.category(ch)[0] in "LM" for ch in run.text):
        # Only neutrals (", ", "!") at a right-to-left level: mirror and reverse.
        return "".join(MIRRORED.get(ch, ch) for ch in reversed(run.text))
    if run.rtl or run.font not in {REGULAR, BOLD}:
        return _shape(run.text, run.font, size)
    return run.text


@cache
def _shape(text: str, font: str, size: float) -> ShapedStr:
    """HarfBuzz's glyphs for `text`, in visual order (as reportlab's shapeStr, other features)."""
    word = [pdfmetrics.stringWidth(text, font, size), (ABag(fontName=font, fontSize=size), text)]
    shaped: ShapedStr = shapeFragWord(word, features=_FEATURES, force=True)[1][1]
    return shaped


def _run_width(run: Run, size: float) -> float:
    text = _drawable(run, size)
    if isinstance(text, ShapedStr):
        # __shapeData__ is set by reportlab's shaping and missing from its stubs.
        advances = text.__shapeData__  # type: ignore[attr-defined]
        return float(sum(data.x_advance for data in advances) * size / 1000)
    return pdfmetrics.stringWidth(text, run.font, size)


def _font_of(ch: str, face: str, current: str | None) -> str:
    """The font for `ch`: the current run's when it is not a letter and fits."""
    if current is not None and unicodedata.category(ch)[0] not in "L" and _covers(current, ch):
        return current
    return _font_for(ch, face) or current or face


def _covers(font: str, ch: str) -> bool:
    return ord(ch) in _char_map(font)


@cache
def _char_map(font: str) -> frozenset[int]:
    return frozenset(cast(TTFont, pdfmetrics.getFont(font)).face.charToGlyph)


@cache
def _font_for(ch: str, face: str) -> str | None:
    """The first font that has a glyph for `ch`, or None when none has."""
    register_fonts()
    if unicodedata.category(ch) in ("Zs", "Cc", "Cf", "Mn", "Me"):
        return face  # spaces, controls and marks travel with their neighbours
    for font in _SHIPPED.get(face, (face,)):
        if _covers(font, ch):
            return font
    for font in _loaded_system_fonts(face):
        if _covers(font, ch):
            return font
    return _system_font(ch, face)


_system_fonts: dict[str, list[str]] = {}


def _loaded_system_fonts(face: str) -> list[str]:
    return _system_fonts.setdefault(face, [])


def _system_font(ch: str, face: str) -> str | None:
    """Ask fontconfig for a TrueType font with `ch` and register it with reportlab."""
    bold = face == BOLD
    try:
        listed = subprocess.run(
            ["fc-list", "-f", "%{file}\t%{index}\t%{style}\n", f":charset={ord(ch):x}"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    candidates = []
    for line in listed.splitlines():
        path, _, rest = line.partition("\t")
        face, _, style = rest.partition("\t")
        if path.lower().endswith((".ttf", ".ttc")) and face.isdigit():
            is_bold = "Bold" in style
            rank = ("Serif" in path, is_bold != bold, "Italic" in style, path, int(face))
            candidates.append((rank, path, int(face)))
    for _rank, path, index in sorted(candidates):
        name = f"{path.rsplit('/', 1)[-1].rsplit('.', 1)[0]}-{index}"
        try:
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index, shapable=True))
        except (TTFError, OSError):
            continue  # CFF outlines or a broken file: try the next
        if _covers(name, ch):
            _loaded_system_fonts(face).append(name)
            return name
    return None


def _script(ch: str) -> str:
    """The character's script as an ISO 15924 code ("Hani"), as HarfBuzz sees it."""
    buffer = uharfbuzz.Buffer()
    buffer.add_str(ch)
    buffer.guess_segment_properties()
    return buffer.script or "Zyyy"


def forget_system_fonts() -> None:
    """Look fonts up again (tests change what fontconfig finds)."""
    _font_for.cache_clear()
    _system_fonts.clear()
