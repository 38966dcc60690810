"""The print words and the optional upcoming events, as volunteers edit them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.content import ContentError, load_content


def _with_events(tmp_path: Path, events: str) -> Path:
    path = tmp_path / "pledge.toml"
    source = load_content().source.read_text(encoding="utf-8")
    path.write_text(source + events, encoding="utf-8")
    return path


def test_upcoming_events_are_read_in_date_order(tmp_path: Path) -> None:
    path = _with_events(
        tmp_path,
        """
[[upcoming_events]]
date = 2026-09-01
title = { sv = "Politikerutfrågning", en = "Debate with politicians" }

[[upcoming_events]]
date = 2026-08-15
title = { sv = "Klädbyte", en = "Clothes swap" }
place = { sv = "Stadsbiblioteket", en = "City library" }
""",
    )

    content = load_content(path)

    assert [e.date for e in content.upcoming_events] == [date(2026, 8, 15), date(2026, 9, 1)]
    assert content.upcoming_events[0].place and content.upcoming_events[0].place("en") == (
        "City library"
    )
    assert content.events_from(date(2026, 8, 20)) == content.upcoming_events[1:]


def test_an_event_date_in_quotes_names_the_fix(tmp_path: Path) -> None:
    path = _with_events(
        tmp_path,
        """
[[upcoming_events]]
date = "2026-09-01"
title = { sv = "Fika", en = "Coffee" }
""",
    )

    with pytest.raises(ContentError, match=r"upcoming_events #1: date must be written like"):
        load_content(path)


def test_the_shipped_content_has_no_events_listed() -> None:
    assert load_content().upcoming_events == ()
