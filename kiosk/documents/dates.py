"""Dates in words on paper, in Swedish or English."""

from __future__ import annotations

from datetime import date

# Month names spelled out here: strftime follows the process locale, which Qt
# sets from the laptop's, so "%B" could print Swedish months on an English page.
MONTHS = {
    "sv": "januari februari mars april maj juni juli augusti september oktober november "
    "december".split(),
    "en": "January February March April May June July August September October November "
    "December".split(),
}


def long_date(day: date, language: str) -> str:
    """'13 juni 2026' / '13 June 2026', whatever the machine's locale."""
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"


def short_date(day: date, language: str) -> str:
    """'5/12' in Swedish, '5 Dec' in English."""
    if language == "sv":
        return f"{day.day}/{day.month}"
    return f"{day.day} {MONTHS['en'][day.month - 1][:3]}"
