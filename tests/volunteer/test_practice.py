"""Practice signatures: kept apart, never counted, never queued for sync, gone afterwards."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from kiosk.store import repository
from kiosk.store.models import Signature, SignatureCommitment, SyncState
from kiosk.store.repository import SaveError
from kiosk.volunteer.events import save_to_current_event, start_event
from kiosk.volunteer.practice import end_practice, is_practice, start_practice
from tests.conftest import make_pledge


@pytest.fixture
def event_id(store, market_day) -> str:
    with store.session() as session:
        event = start_event(
            session, name="Stortorget", place="Stortorget", event_date=date(2026, 6, 13)
        )
        session.commit()
        return event.id


def test_signatures_carry_the_current_event(store, event_id, market_day):
    signature_id = save_to_current_event(store, make_pledge(), now=market_day)
    with store.session() as session:
        assert session.get(Signature, signature_id).event_id == event_id


def test_without_an_event_nothing_is_saved(store, market_day):
    with pytest.raises(SaveError) as error:
        save_to_current_event(store, make_pledge(), now=market_day)
    assert error.value.kind == "no_event"
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Signature)) == 0


def test_practice_is_never_counted_nor_synced_and_vanishes(store, event_id, market_day):
    real = save_to_current_event(store, make_pledge("Erik Real"), now=market_day)
    with store.session() as session:
        start_practice(session)
        session.commit()
    practice = [
        save_to_current_event(store, make_pledge(f"Övning {n}"), now=market_day) for n in range(3)
    ]
    with store.session() as session:
        assert is_practice(session)
        rows = session.scalars(select(Signature).where(Signature.id.in_(practice))).all()
        assert {(r.practice, r.sync_state) for r in rows} == {(True, SyncState.NEVER)}
        assert repository.count_signatures(session) == 1
        assert repository.count_signatures(session, local_date=market_day.date()) == 1
        assert repository.count_signatures(session, event_id=event_id) == 1
        assert repository.pending_count(session) == 1
        assert repository.attract_count(session) == 1
        assert [e.signatures for e in repository.counts_per_event(session)] == [1]
        assert end_practice(session) == 3
        session.commit()
    with store.session() as session:
        assert not is_practice(session)
        assert session.scalars(select(Signature.id)).all() == [real]
        assert {link.signature_id for link in session.scalars(select(SignatureCommitment))} == {
            real
        }
