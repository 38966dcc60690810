"""Every text colour meets WCAG 2.2 AA (4.5:1) on its background, in both themes,
and the stylesheet draws with palette colours only."""

from __future__ import annotations

import re
from dataclasses import astuple

import pytest

from kiosk.ui.theme import CAMPAIGN, HIGH_CONTRAST, Palette, stylesheet

PALETTES = {"campaign": CAMPAIGN, "high contrast": HIGH_CONTRAST}


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour like #1D6B3A."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_the_formula_matches_known_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name", PALETTES)
def test_every_text_pair_meets_aa(name):
    palette: Palette = PALETTES[name]
    too_low = {
        pair: round(contrast_ratio(fg, bg), 2)
        for pair, (fg, bg) in palette.text_pairs().items()
        if contrast_ratio(fg, bg) < 4.5
    }
    assert too_low == {}


@pytest.mark.parametrize("name", PALETTES)
@pytest.mark.parametrize("large_text", [False, True])
def test_stylesheet_uses_palette_colours_only(name, large_text):
    palette = PALETTES[name]
    sheet = stylesheet(palette, large_text=large_text)
    colours = {c.upper() for c in astuple(palette)}
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{3,8}\b", sheet)}
    assert used and used <= colours
    # every colour or background is a palette colour (no named colours, no rgb())
    for value in re.findall(r"(?:^|[\s;{])(?:color|background)\s*:\s*([^;}]+)", sheet):
        assert value.strip().upper() in colours | {"TRANSPARENT", "NONE"}, value


@pytest.mark.parametrize("name", PALETTES)
def test_placeholder_text_as_drawn_meets_aa(qtbot, name):
    """Measured on the drawn field, not read from the stylesheet: Qt's own
    placeholder grey (#8A938D on white, 3.2:1) must never come back."""
    from PySide6.QtWidgets import QLineEdit

    palette = PALETTES[name]
    field = QLineEdit()
    qtbot.addWidget(field)
    field.setStyleSheet(stylesheet(palette, scale=1.0))
    field.setPlaceholderText("MMMMMMMM")
    field.resize(400, 80)
    field.show()
    qtbot.waitExposed(field)
    image = field.grab().toImage()
    inside = [
        image.pixelColor(x, y).name()
        for x in range(20, image.width() - 20)
        for y in range(20, image.height() - 20)
    ]
    text = [colour for colour in set(inside) if colour.upper() != palette.surface.upper()]
    strongest = max(contrast_ratio(colour, palette.surface) for colour in text)
    assert strongest >= 4.5
    assert palette.muted_text.lower() in text  # drawn in the palette's muted colour
