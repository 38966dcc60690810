"""The live counter: unique signers plus tallies, in both languages, cached so that a
spike of visitors never reaches the database."""

from __future__ import annotations

import asyncio
import threading
from datetime import date

from sqlalchemy import event

from sync.server import repository
from sync.server.models import StoreEvent
from sync.server.public.counter import StatsCache
from tests.public.conftest import GOAL, a_record
from tests.public.load import hammer
from tests.sync.records import event_json


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fake_clock(public_store) -> FakeClock:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    public_store.app.state.public.cache.clock = clock
    return clock


def test_a_repeat_signer_counts_once_and_stats_say_which_figure_is_which(public_store):
    event = event_json()
    first = a_record(event["id"], email="asa@example.se")
    again = a_record(event["id"], email="asa@example.se")  # the same person signs twice
    no_email = a_record(event["id"], email=None)
    public_store.upload(first, again, no_email, event=event)
    with public_store.central.session() as session:
        repository.add_tally(session, source="paper", count=7)
        session.commit()
    with public_store.client() as http:
        stats = http.get("/api/v1/stats").json()
    assert stats["kiosk_signatures"] == 3 and stats["total"] == 10  # the old figures stay
    assert stats["unique_signers"] == 2 and stats["tallied"] == 7
    assert stats["counter"] == 9 and stats["goal"] == GOAL
    assert stats["sources"] == {"paper": 7}


def test_the_counter_speaks_swedish_and_english_with_the_goals_progress(public_store):
    event = event_json()
    public_store.upload(*(a_record(event["id"], email=None) for _ in range(3)), event=event)
    with public_store.central.session() as session:
        repository.add_tally(session, source="web", count=1247)
        session.commit()
    with public_store.client() as http:
        svg = http.get("/widget/counter.svg")
        english = http.get("/widget/counter.svg", params={"lang": "en"})
        page = http.get("/widget/counter")
        script_words = http.get("/widget/counter.json", params={"lang": "en"}).json()
    assert svg.headers["content-type"] == "image/svg+xml"
    assert "<script" not in svg.text
    assert "<title>1\u00a0250 helsingborgare har skrivit på klimatavtalet</title>" in svg.text
    assert "125\u00a0% av målet 1\u00a0000" in svg.text
    assert "1,250 people of Helsingborg have signed the climate pledge" in english.text
    assert "125% of the goal of 1,000" in english.text
    assert '<strong id="count">1\u00a0250</strong> helsingborgare' in page.text
    assert script_words == {
        "count": 1250,
        "text": "1,250 people of Helsingborg have signed the climate pledge",
        "progress": "125% of the goal of 1,000",
    }


def test_only_the_counter_page_may_be_framed(public_store):
    with public_store.client() as http:
        widget = http.get("/widget/counter")
        withdraw = http.get("/aterkalla")
    assert "frame-ancestors *" in widget.headers["content-security-policy"]
    assert "x-frame-options" not in widget.headers
    assert "unsafe-inline" not in widget.headers["content-security-policy"]
    assert withdraw.headers["x-frame-options"] == "DENY"


def test_answers_carry_an_etag_and_a_browser_that_has_it_gets_a_304(public_store):
    with public_store.client() as http:
        for path in (
            "/widget/counter.svg",
            "/widget/counter",
            "/api/v1/stats",
            "/widget/counter.js",
        ):
            first = http.get(path)
            assert first.headers["cache-control"] == "public, max-age=30"
            again = http.get(path, headers={"If-None-Match": first.headers["etag"]})
            assert again.status_code == 304 and again.content == b"", path


def test_the_count_follows_once_the_cache_period_is_over(public_store, visitor):
    clock = fake_clock(public_store)
    record = a_record(email=None)
    public_store.upload(record)
    with public_store.client() as http:
        assert http.get("/api/v1/stats").json()["counter"] == 1
        visitor.withdraw(record["withdrawal_code"])
        assert http.get("/api/v1/stats").json()["counter"] == 1  # within the 30 s
        clock.now += 30
        assert http.get("/api/v1/stats").json()["counter"] == 0  # the count dropped by one


def test_a_spike_of_visitors_costs_one_database_refresh(public_store):
    """Hundreds of concurrent requests for a cold cache, then again after it expires:
    one refresh each time (counted as SQL statements on the store's engine)."""
    clock = fake_clock(public_store)
    public_store.upload(a_record())
    engine = public_store.central.engine
    statements: list[str] = []
    lock = threading.Lock()

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        with lock:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    public_store.app.state.public.stats()  # one refresh: the goal and the figures
    event.remove(engine, "before_cursor_execute", count)
    one_refresh = len(statements)
    assert one_refresh >= 1

    paths = ["/widget/counter.svg", "/api/v1/stats", "/widget/counter", "/widget/counter.json"]

    def spike() -> list[int]:
        return hammer(public_store.url, paths, connections=150, per_connection=2).statuses

    event.listen(engine, "before_cursor_execute", count)
    try:
        statements.clear()
        assert spike() == [200] * 300
        assert len(statements) == one_refresh
        clock.now += 31
        statements.clear()
        assert spike() == [200] * 300
        assert len(statements) == one_refresh
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_busy_database_leaves_the_last_figures_in_place():
    async def scenario() -> list[int]:
        clock = FakeClock()
        figures = iter([_stats(5)])

        def load():  # type: ignore[no-untyped-def]
            try:
                return next(figures)
            except StopIteration:
                raise RuntimeError("database is locked") from None

        cache = StatsCache(load, clock=clock)
        first = (await cache.stats()).counter
        clock.now += 60
        return [first, (await cache.stats()).counter]

    assert asyncio.run(scenario()) == [5, 5]


def _stats(counter: int):  # type: ignore[no-untyped-def]
    from sync.protocol import Stats

    return Stats(total=counter, kiosk_signatures=counter, sources={}, events=[], counter=counter)


def test_a_kiosk_with_its_token_sees_the_store_total_of_this_moment(public_store):
    """Kiosks show the store's total after each sync; the public's copy may lag 30 s."""
    fake_clock(public_store)
    event = event_json()
    public_store.upload(a_record(event["id"]), event=event)
    with public_store.client() as public, public_store.client(public_store.token) as kiosk:
        assert public.get("/api/v1/stats").json()["total"] == 1
        public_store.upload(a_record(event["id"], email="b@example.se"), event=event)
        assert public.get("/api/v1/stats").json()["total"] == 1  # cached for the website
        assert kiosk.get("/api/v1/stats").json()["total"] == 2
        forged = {"Authorization": "Bearer kt1_not-a-token"}
        assert public.get("/api/v1/stats", headers=forged).json()["total"] == 1


def test_public_figures_match_the_records_counted_one_by_one(public_store):
    """The counts come from one scan (GROUPING SETS on PostgreSQL): per event, a repeat
    signer once across events, each signer without email once, no event without
    signatures, events in date then name order; an empty store counts nothing."""
    with public_store.central.session() as session:
        empty = repository.public_stats(session, goal=None)
    assert (empty.total, empty.unique_signers, empty.events) == (0, 0, [])
    later = {**event_json(name="Bruksgatan"), "date": "2026-06-20"}
    market = event_json(name="Stortorget")
    square = event_json(name="Rådhuset")  # same day as the market: name decides
    unused = event_json(name="Ingen här")
    emails = ["a@example.se", "b@example.se", "a@example.se", None, None, "c@example.se"]
    for at, chosen in ((later, emails[:2]), (market, emails[2:5]), (square, emails[5:])):
        public_store.upload(*(a_record(at["id"], email=e) for e in chosen), event=at)
    with public_store.central.session() as session:  # an event no record came from
        session.add(
            StoreEvent(id=unused["id"], name=unused["name"], place="", date=date(2026, 6, 1))
        )
        session.commit()
    with public_store.central.session() as session:
        stats = repository.public_stats(session, goal=None)
        plain = repository.stats(session)
        assert repository.unique_signers(session) == stats.unique_signers
    assert [(e.name, e.count) for e in stats.events] == [
        ("Rådhuset", 1),
        ("Stortorget", 3),
        ("Bruksgatan", 2),
    ]
    assert plain.events == stats.events
    assert stats.kiosk_signatures == stats.total == 6
    # a, b, c once each; the two without email each count.
    assert stats.unique_signers == stats.counter == 5
