"""Colours, sizes and the stylesheet, in one place.

Every text colour is paired with the background it is drawn on in
`Palette.text_pairs()`, so a test can check each pair against WCAG 2.2 AA
(4.5:1). The stylesheet is built only from these values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PySide6.QtGui import QFontDatabase

from kiosk.paths import FONT_FILES


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str
    text: str
    muted_text: str
    primary: str  # big buttons, headings
    on_primary: str
    accent: str  # the count, highlights
    on_accent: str
    error: str
    error_background: str
    focus: str
    practice_background: str
    on_practice: str

    def text_pairs(self) -> dict[str, tuple[str, str]]:
        """Named (foreground, background) pairs the stylesheet uses for text."""
        return {
            "body": (self.text, self.background),
            "body on surface": (self.text, self.surface),
            "muted": (self.muted_text, self.background),
            "muted on surface": (self.muted_text, self.surface),
            "placeholder": (self.muted_text, self.surface),
            "primary button": (self.on_primary, self.primary),
            "heading": (self.primary, self.background),
            "heading on surface": (self.primary, self.surface),
            "accent": (self.on_accent, self.accent),
            "error": (self.error, self.error_background),
            "error on background": (self.error, self.background),
            "practice banner": (self.on_practice, self.practice_background),
        }


CAMPAIGN = Palette(
    background="#F3F7F1",
    surface="#FFFFFF",
    text="#15271C",
    muted_text="#435A4B",
    primary="#1D6B3A",
    on_primary="#FFFFFF",
    accent="#F4C542",
    on_accent="#15271C",
    error="#A4161A",
    error_background="#FDECEC",
    focus="#0B57D0",
    practice_background="#7A3E00",
    on_practice="#FFFFFF",
)

HIGH_CONTRAST = Palette(
    background="#000000",
    surface="#000000",
    text="#FFFFFF",
    muted_text="#FFFFFF",
    primary="#FFE600",
    on_primary="#000000",
    accent="#FFE600",
    on_accent="#000000",
    error="#FF8A80",
    error_background="#000000",
    focus="#00E5FF",
    practice_background="#FFE600",
    on_practice="#000000",
)

MIN_TOUCH_TARGET = 56  # px; WCAG asks 24, touch guidelines 44-48: markets get more
BASE_FONT_PX = 22
LARGE_TEXT_FACTOR = 1.3
# The sizes here are for a 1280x800 screen; bigger screens scale them up (never down:
# a 1366x768 laptop keeps them), so text read from a metre away grows with the screen.
DESIGN_SCREEN = (1280, 800)
SCREEN_SCALE_LIMITS = (1.0, 2.0)
# A dynamic property: set on the focused widget only when the focus came from the
# keyboard (kiosk.ui.focus), so a tap never leaves a ring that looks like "selected".
FOCUS_RING = "focusRing"


def screen_scale(width: int | None = None, height: int | None = None) -> float:
    """How much bigger than designed the screen is (the primary screen by default)."""
    if width is None or height is None:
        from PySide6.QtGui import QGuiApplication, QScreen  # noqa: PLC0415

        # Annotated: PySide6's stub omits the None Qt returns when there is no screen.
        screen: QScreen | None = QGuiApplication.primaryScreen()
        if screen is None:
            return 1.0
        size = screen.geometry().size()
        width, height = size.width(), size.height()
    low, high = SCREEN_SCALE_LIMITS
    return max(low, min(high, width / DESIGN_SCREEN[0], height / DESIGN_SCREEN[1]))


FONT_FAMILY = "Noto Sans"


@cache
def load_fonts() -> None:
    """Give Qt the campaign's font, shipped in resources/fonts as for the PDFs.

    Without it the screens take whatever the laptop has (DejaVu Sans on a
    bare Debian), which is wider: the 2030 goal wraps and the attract
    screen no longer looks as designed. Scripts Noto Sans lacks (Arabic
    names) fall back to the system's fonts as before.
    """
    for font_file in FONT_FILES:
        QFontDatabase.addApplicationFont(str(font_file))


def stylesheet(
    palette: Palette = CAMPAIGN, *, large_text: bool = False, scale: float | None = None
) -> str:
    """The whole app's Qt stylesheet, built from one palette, for the screen's size."""
    screen = screen_scale() if scale is None else scale
    scale = screen * (LARGE_TEXT_FACTOR if large_text else 1.0)

    def px(size: float) -> str:
        return f"{round(size * scale)}px"

    p = palette
    return f"""
    QWidget {{ background: {p.background}; color: {p.text}; font-size: {px(BASE_FONT_PX)};
        font-family: "{FONT_FAMILY}"; }}
    QLabel {{ background: transparent; }}
    QLabel[role="title"] {{ color: {p.primary}; font-size: {px(40)}; font-weight: 800; }}
    QLabel[role="heading"] {{ color: {p.primary}; font-size: {px(26)}; font-weight: 700; }}
    QLabel[role="call"] {{ color: {p.primary}; font-size: {px(72)}; font-weight: 800; }}
    QLabel[role="goal"] {{ font-size: {px(34)}; font-weight: 600; }}
    QLabel[role="count"] {{ background: {p.accent}; color: {p.on_accent};
        font-size: {px(40)}; font-weight: 800; border-radius: 18px; padding: 12px 28px; }}
    QLabel[role="muted"] {{ color: {p.muted_text}; }}
    QLabel[role="step"] {{ color: {p.muted_text}; font-weight: 700; }}
    QLabel[role="field"] {{ font-weight: 700; }}
    QLabel[role="privacy"] {{ background: {p.surface}; color: {p.text}; border-radius: 10px;
        border: 2px solid {p.muted_text}; padding: 12px; }}
    QPushButton[role="more"] {{ border: none; background: {p.surface}; color: {p.primary};
        border-radius: 0; border-top: 2px solid {p.primary}; }}
    QLabel[role="error"] {{ color: {p.error}; background: {p.error_background};
        font-weight: 700; border-radius: 8px; padding: 6px 10px; }}
    QLabel[role="practice"] {{ background: {p.practice_background}; color: {p.on_practice};
        font-weight: 800; padding: 8px; }}
    QLabel[role="countdown"] {{ color: {p.primary}; font-size: {px(96)}; font-weight: 800; }}
    QLabel[role="qr"] {{ background: #FFFFFF; border-radius: 12px; padding: 12px; }}
    QFrame[role="header"] {{ background: {p.surface}; border-bottom: 2px solid {p.primary}; }}
    QFrame[role="card"] {{ background: {p.surface}; border-radius: 24px;
        border: 3px solid {p.primary}; }}
    QFrame[role="alert"] {{ background: {p.error_background}; border-radius: 14px;
        border: 3px solid {p.error}; }}
    QFrame[role="alert"] QLabel {{ color: {p.error}; }}
    QFrame[role="alert"] QLabel[role="muted"] {{ color: {p.text}; }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
    QPushButton {{ min-height: {px(MIN_TOUCH_TARGET)}; padding: 8px 24px; border-radius: 14px;
        border: 3px solid {p.primary}; background: {p.surface}; color: {p.primary};
        font-weight: 700; }}
    QPushButton[{FOCUS_RING}="true"]:focus {{ border-color: {p.focus}; }}
    QPushButton:disabled {{ border-color: {p.muted_text}; color: {p.muted_text}; }}
    QPushButton[role="primary"] {{ background: {p.primary}; color: {p.on_primary}; }}
    QPushButton[role="primary"][{FOCUS_RING}="true"]:focus {{ border-color: {p.focus}; }}
    QPushButton[role="primary"]:disabled {{ background: {p.muted_text}; color: {p.on_primary}; }}
    QPushButton[role="start"] {{ background: {p.primary}; color: {p.on_primary};
        font-size: {px(48)}; min-height: 120px; padding: 16px 64px; border-radius: 60px; }}
    QPushButton#languageButton {{ border-radius: 28px; }}
    QAbstractButton[role="toggle"], QWidget[role="pad"] {{ background: {p.surface};
        color: {p.text}; selection-background-color: {p.primary};
        selection-color: {p.on_primary}; alternate-background-color: {p.focus}; }}
    QCheckBox {{ min-height: {MIN_TOUCH_TARGET}px; spacing: 16px; }}
    QCheckBox::indicator {{ width: 40px; height: 40px; border: 3px solid {p.primary};
        border-radius: 8px; background: {p.surface}; }}
    QCheckBox::indicator:checked {{ background: {p.primary}; }}
    QCheckBox:focus {{ color: {p.text}; outline: 2px solid {p.focus}; }}
    QPushButton:checked {{ background: {p.primary}; color: {p.on_primary}; }}
    QLineEdit {{ min-height: {px(MIN_TOUCH_TARGET)}; padding: 4px 12px; border-radius: 10px;
        border: 2px solid {p.muted_text}; background: {p.surface}; color: {p.text};
        placeholder-text-color: {p.muted_text}; }}
    QLineEdit:focus {{ border: 3px solid {p.focus}; }}
    QLineEdit[invalid="true"] {{ border: 3px solid {p.error}; }}
    QTextBrowser {{ background: {p.surface}; color: {p.text}; border-radius: 10px;
        border: 2px solid {p.muted_text}; padding: 8px; font-size: {px(20)}; }}
    QScrollBar:vertical {{ width: 16px; background: {p.background}; border: none; }}
    QScrollBar::handle:vertical {{ background: {p.muted_text}; border-radius: 8px;
        min-height: 48px; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
    QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
    """ + _panel_rules(p, px)


def _panel_rules(p: Palette, px: Callable[[float], str]) -> str:
    """--- Volunteer panel styles (kiosk.ui.volunteer.panel_style) ---"""
    from kiosk.ui.volunteer.panel_style import panel_stylesheet  # noqa: PLC0415 - no cycle

    return panel_stylesheet(p, px, MIN_TOUCH_TARGET)
