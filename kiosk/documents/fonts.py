"""The embedded font: Noto Sans (OFL, shipped in resources/fonts).

reportlab's built-in Helvetica is not embedded, so å, ä, ö and the accents
in signers' names would depend on the viewer or the printer. A registered
TTF is embedded (subset) in every PDF and prints the same everywhere.
"""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.paths import FONT_FILES

REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"


def register_fonts() -> None:
    """Register the fonts with reportlab once per process (cheap after the first call)."""
    registered = pdfmetrics.getRegisteredFontNames()
    if REGULAR in registered and BOLD in registered:
        return
    regular_file, bold_file = FONT_FILES
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular_file)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold_file)))
    # Paragraphs' <b> markup and platypus tables find the bold face through this.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
