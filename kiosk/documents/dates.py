"""Dates in words on paper, in the document's language, from CLDR (Babel).

Never strftime: it follows the process locale, which Qt sets from the
laptop's, so "%B" could print Swedish months on an English page.
"""

from __future__ import annotations

from datetime import date

from sync.i18n import format_date, format_day_month


def long_date(day: date, language: str) -> str:
    """'13 juni 2026' / 'June 13, 2026' / '13 يونيو 2026', whatever the machine's locale."""
    return format_date(day, language, "long")


def short_date(day: date, language: str) -> str:
    """Day and month for a list of coming events: '5 dec.' / 'Dec 5'."""
    return format_day_month(day, language)
