"""The embedded fonts: Noto Sans and Noto Sans Arabic (OFL, shipped in resources/fonts).

reportlab's built-in Helvetica is not embedded, so å, ä, ö and the accents
in signers' names would depend on the viewer or the printer. A registered
TTF is embedded (subset) in every PDF and prints the same everywhere.
Noto Sans covers Latin (every diacritic), Greek and Cyrillic; Noto Sans
Arabic covers Arabic and Persian, shaped by HarfBuzz. Other scripts come
from the system's fonts (kiosk.documents.text_runs).
"""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.paths import FONT_FILES, RESOURCES_DIR

REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"
ARABIC = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
ARABIC_FILES = (
    RESOURCES_DIR / "fonts" / "NotoSansArabic-Regular.ttf",
    RESOURCES_DIR / "fonts" / "NotoSansArabic-Bold.ttf",
)


def register_fonts() -> None:
    """Register the fonts with reportlab once per process (cheap after the first call)."""
    registered = pdfmetrics.getRegisteredFontNames()
    if all(name in registered for name in (REGULAR, BOLD, ARABIC, ARABIC_BOLD)):
        return
    regular_file, bold_file = FONT_FILES
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular_file)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold_file)))
    arabic_file, arabic_bold_file = ARABIC_FILES
    pdfmetrics.registerFont(TTFont(ARABIC, str(arabic_file), shapable=True))
    pdfmetrics.registerFont(TTFont(ARABIC_BOLD, str(arabic_bold_file), shapable=True))
    # Paragraphs' <b> markup and platypus tables find the bold face through this.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
