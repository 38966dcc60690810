"""The campaign's look on paper: colours (text itself goes through text_runs)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor

GREEN = HexColor("#1F7A3F")  # the campaign green: bands, headings, bars
DARK_GREEN = HexColor("#14532B")
LIGHT_GREEN = HexColor("#E4F2E8")
MID_GREEN = HexColor("#6DB47F")
INK = HexColor("#1C2321")  # body text: softer than pure black, still crisp
GREY = HexColor("#5B6662")
WHITE = HexColor("#FFFFFF")
