"""A table's columns in reading order: on a right-to-left page the first is on the right.

reportlab lays a Table's cells out left to right whatever the text in them, so
an Arabic summary read its date, event, place and count columns backwards.
`table_in_reading_order` mirrors a table built left to right: the cells of each row,
the column widths, and the style commands' columns, sides and alignments
(cells without one, left-aligned by default, become right-aligned).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Table, TableStyle

StyleCommand = tuple[Any, ...]  # (name, (column, row), (column, row), *values)

_SIDES = {"LINEBEFORE": "LINEAFTER", "LINEAFTER": "LINEBEFORE"}
_SIDES |= {"LEFTPADDING": "RIGHTPADDING", "RIGHTPADDING": "LEFTPADDING"}
_ALIGNMENTS = {"LEFT": "RIGHT", "RIGHT": "LEFT"}


def table_in_reading_order(
    rows: Sequence[Sequence[object]],
    widths: list[float],
    style: list[StyleCommand],
    *,
    rtl: bool,
    repeat_rows: int = 0,
) -> Table:
    """The table as given, laid out left to right, or (right to left) mirrored
    column by column."""
    if rtl:
        columns = len(widths)
        flush_right: StyleCommand = ("ALIGN", (0, 0), (-1, -1), "RIGHT")  # LEFT, mirrored
        rows = [list(row)[::-1] for row in rows]
        widths = widths[::-1]
        style = [flush_right, *(_mirrored(command, columns) for command in style)]
    table = Table([list(row) for row in rows], colWidths=widths, repeatRows=repeat_rows)
    table.setStyle(TableStyle(style))
    return table


def _mirrored(command: StyleCommand, columns: int) -> StyleCommand:
    name, (start_column, start_row), (end_column, end_row), *values = command
    first = columns - 1 - (end_column % columns)
    last = columns - 1 - (start_column % columns)
    if name == "ALIGN":
        values = [_ALIGNMENTS.get(str(value).upper(), value) for value in values]
    return (_SIDES.get(name, name), (first, start_row), (last, end_row), *values)
