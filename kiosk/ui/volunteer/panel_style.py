"""The volunteer panel's part of the stylesheet (kiosk.ui.theme appends it).

Only selectors under #volunteerPanel, so the signer screens' look is not
touched: every control here is at least MIN_TOUCH_TARGET in both
directions, a ticked checkbox shows a tick (not only a filled square),
numbers on the dashboard are big and their labels small.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.paths import RESOURCES_DIR

if TYPE_CHECKING:
    from kiosk.ui.theme import Palette

TICKS = {"#FFFFFF": "tick-FFFFFF.svg", "#000000": "tick-000000.svg"}
CHEVRONS = {"#15271C": "chevron-15271C.svg", "#FFFFFF": "chevron-FFFFFF.svg"}


def _image(names: dict[str, str], colour: str) -> str:
    name = names.get(colour.upper(), next(iter(names.values())))
    return (RESOURCES_DIR / "images" / name).as_posix()


def tick_image(colour: str) -> str:
    """The tick drawn on a checked box, in the colour drawn on `primary`."""
    return _image(TICKS, colour)


def chevron_image(colour: str) -> str:
    """A drop-down's arrow, in the text colour (a styled QComboBox loses Qt's own)."""
    return _image(CHEVRONS, colour)


def panel_stylesheet(p: Palette, px: Callable[[float], str], target: int) -> str:
    """The panel's rules; `px` scales with large text, `target` is the touch size."""
    panel = "#volunteerPanel"
    overlays = "#quitConfirm, #printPreview, #monthGrid"
    return f"""
    {panel} QComboBox {{ min-height: {target}px; min-width: 160px; padding: 4px 16px;
        border-radius: 10px; border: 2px solid {p.muted_text}; background: {p.surface};
        color: {p.text}; }}
    {panel} QComboBox::drop-down {{ width: {target}px; border: none; }}
    {panel} QComboBox::down-arrow {{ image: url("{chevron_image(p.text)}");
        width: 28px; height: 28px; }}
    {panel} QComboBox QAbstractItemView {{ background: {p.surface}; color: {p.text};
        selection-background-color: {p.primary}; selection-color: {p.on_primary};
        font-size: {px(24)}; }}
    {panel} QComboBox QAbstractItemView::item {{ min-height: {target}px; padding: 0 16px; }}
    {panel} QCheckBox {{ min-height: {target}px; min-width: {target}px; }}
    {panel} QCheckBox::indicator {{ width: 44px; height: 44px; }}
    {panel} QCheckBox::indicator:checked {{ background: {p.primary};
        image: url("{tick_image(p.on_primary)}"); }}
    {panel} QListWidget {{ background: {p.surface}; color: {p.text}; border-radius: 10px;
        border: 2px solid {p.muted_text}; padding: 4px; }}
    {panel} QListWidget::item {{ min-height: 60px; padding: 4px 12px; border-radius: 8px;
        border-bottom: 1px solid {p.muted_text}; }}
    {panel} QListWidget::item:selected {{ background: {p.primary}; color: {p.on_primary}; }}
    #pinPad QPushButton {{ min-height: 58px; max-height: 58px; padding: 0;
        font-size: {px(30)}; }}
    {panel} QPushButton[role="step"] {{ font-size: {px(30)}; padding: 0;
        min-height: {target - 6}px; max-height: {target - 6}px; }}
    {panel} QLabel#stepValue {{ font-size: {px(28)}; font-weight: 700; }}
    {panel} QPushButton#calendarDay {{ padding: 0; border-radius: 10px; }}
    {panel} QPushButton#calendarDay[outside="true"] {{ color: {p.muted_text};
        border-color: {p.muted_text}; }}
    {panel} QFrame[role="tile"] {{ background: {p.surface}; border-radius: 14px;
        border: 2px solid {p.primary}; }}
    {panel} QLabel[role="bignumber"] {{ color: {p.primary}; font-size: {px(54)};
        font-weight: 800; }}
    {panel} QLabel[role="value"] {{ color: {p.primary}; font-size: {px(24)};
        font-weight: 800; }}
    {panel} QLabel[role="caption"] {{ color: {p.muted_text}; font-size: {px(17)}; }}
    {panel} QFrame[role="tile"] QLabel[role="caption"] {{ color: {p.text}; }}
    {overlays} {{ background: {p.background}; }}
    #printPreview QScrollArea {{ background: {p.muted_text}; border-radius: 10px; }}
    #previewPages {{ background: {p.muted_text}; }}
    """
