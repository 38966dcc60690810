"""A laptop whose clock reset: what is signed is kept, marked, and reaches the store marked."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kiosk.clock import clock_problem, current_clock_problem
from kiosk.commands.status import collect
from kiosk.content import load_consent
from kiosk.i18n import Translator
from kiosk.privacy.local import kiosk_outbox
from kiosk.store import repository
from kiosk.store.models import Signature, SyncState
from sync.client import Uploader
from sync.server.models import StoredSignature, StoreEvent
from tests.conftest import make_pledge
from tests.sync.conftest import enrolled

STOCKHOLM = ZoneInfo("Europe/Stockholm")
RESET = datetime(1970, 1, 1, 0, 42, tzinfo=STOCKHOLM)


class FakeClock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def wall(self) -> float:
        return self.moment.timestamp()

    def monotonic(self) -> float:
        return 12.0


def test_implausible_clocks_are_named_in_plain_words():
    english = Translator("en")
    assert "1 January 1970" in clock_problem(datetime(1970, 1, 1, tzinfo=UTC)).message(english)
    assert clock_problem(datetime(1999, 12, 31, 23, 59, tzinfo=UTC)) is not None
    assert "future" in clock_problem(datetime(2150, 1, 1, tzinfo=UTC)).message(english)
    assert clock_problem(datetime(2026, 6, 13, 11, 15, tzinfo=STOCKHOLM)) is None
    assert "Set the laptop's date and time" in current_clock_problem(FakeClock(RESET)).message(
        english
    )


def test_a_1970_signature_is_kept_marked_and_arrives_marked(store, sqlite_live_store, market_day):
    enrolled(store, sqlite_live_store)
    with store.session() as session:  # the volunteer chose the event's date in the panel
        event = repository.create_event(
            session, name="Stortorget", place="Stortorget", event_date=market_day.date()
        )
        repository.set_current_event(session, event)
        session.commit()
    consent = load_consent("sv")
    wrong = [
        repository.save_signature(
            store, make_pledge(), event_id=event.id, consent=consent, now=moment
        )
        for moment in (RESET, datetime(1999, 12, 31, 23, 0, tzinfo=STOCKHOLM))
    ]
    right = repository.save_signature(
        store, make_pledge(), event_id=event.id, consent=consent, now=market_day
    )

    status = collect(store, FakeClock(RESET))
    assert "cannot be right" in status["clock_problem"]
    assert status["clock_unreliable"] == 2
    json.dumps(status)

    with Uploader(kiosk_outbox(store)) as uploader:
        assert uploader.sync_once().done
    with store.read_session() as session:
        states = dict(session.execute(select(Signature.id, Signature.sync_state)).all())
    assert states == dict.fromkeys([*wrong, right], SyncState.SENT)
    with sqlite_live_store.central.session() as session:
        arrived = dict(
            session.execute(select(StoredSignature.id, StoredSignature.clock_unreliable)).all()
        )
        first = session.get(StoredSignature, wrong[0])
        assert first is not None and first.created_at_utc.year in (1969, 1970)
    assert arrived == {wrong[0]: True, wrong[1]: True, right: False}


def test_an_event_dated_1970_arrives_with_its_marked_signatures(
    store, sqlite_live_store, market_day
):
    """The volunteer set up the day while the clock said 1970: the event is dated
    1970 too. Its marked signatures reach the store; an unmarked one at such an
    event stays pending with the reason, and the store refuses such a batch."""
    enrolled(store, sqlite_live_store)
    with store.session() as session:
        event = repository.create_event(
            session, name="Stortorget", place="Stortorget", event_date=RESET.date()
        )
        repository.set_current_event(session, event)
        session.commit()
    consent = load_consent("sv")
    marked = repository.save_signature(
        store, make_pledge(), event_id=event.id, consent=consent, now=RESET
    )
    unmarked = repository.save_signature(
        store, make_pledge(), event_id=event.id, consent=consent, now=market_day
    )
    with store.session() as session:  # saved after the clock was put right
        assert session.get(Signature, unmarked).clock_unreliable is False

    with Uploader(kiosk_outbox(store)) as uploader:
        outcome = uploader.sync_once()
    assert outcome.sent == 1 and outcome.pending == 1
    assert outcome.error is not None and "dated outside 2000-2999" in outcome.error.message
    with store.read_session() as session:
        states = dict(session.execute(select(Signature.id, Signature.sync_state)).all())
    assert states == {marked: SyncState.SENT, unmarked: SyncState.PENDING}
    with sqlite_live_store.central.session() as session:
        stored = session.get(StoredSignature, marked)
        assert stored is not None and stored.clock_unreliable
        assert session.get(StoreEvent, event.id).date == RESET.date()
        assert session.get(StoredSignature, unmarked) is None

    # A store is as strict: an unmarked record at an event dated 1970, posted by hand.
    with store.session() as session:
        session.get(Signature, marked).sync_state = SyncState.PENDING
        session.commit()
    batch = kiosk_outbox(store).pending_batch(limit=10, skip=())
    record = batch.records[0].model_dump(mode="json")
    record.update(
        id=str(uuid.uuid4()),
        created_at_utc="2026-06-13T09:00:00",
        consent_given_at_utc="2026-06-13T09:00:00",
        local_date="2026-06-13",
        clock_unreliable=False,
    )
    body = {
        "kiosk_uuid": str(uuid.uuid4()),
        "events": [batch.events[0].model_dump(mode="json")],
        "records": [record],
    }
    with sqlite_live_store.client(sqlite_live_store.add_device("by-hand")) as http:
        answer = http.post("/api/v1/signatures", json=body)
    assert answer.status_code == 422
    assert "clock_unreliable" in answer.text
