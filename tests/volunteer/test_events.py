"""Choosing, starting and ending the stall's event."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.store.repository import current_event, open_events
from kiosk.volunteer.events import check_event, choose_event, end_current_event, start_event


def test_start_choose_and_end(store, market_day):
    with store.session() as session:
        first = start_event(
            session,
            name="  Stortorget\tlördag ",
            place="Stortorget",
            event_date=date(2026, 6, 13),
            volunteers="Åsa, Erik",
            now=market_day,
        )
        second = start_event(
            session, name="Råå hamn", place="", event_date=date(2026, 6, 14), now=market_day
        )
        session.commit()
        assert current_event(session).id == second.id
        assert first.name == "Stortorget lördag"
        choose_event(session, first.id)
        assert current_event(session).id == first.id
        assert end_current_event(session, now=market_day).id == first.id
        session.commit()
    with store.session() as session:
        assert current_event(session) is None
        assert [e.name for e in open_events(session)] == ["Råå hamn"]
        with pytest.raises(LookupError):
            choose_event(session, first.id)  # an ended event is not chosen again


def test_event_needs_a_name():
    assert check_event("   ", "Stortorget", "") == {"name": "volunteer.event_name_required"}
    assert check_event("Stortorget", "x" * 121, "") == {"place": "volunteer.event_too_long"}
    assert check_event("Stortorget", "", "") == {}
