"""The summary's figures match the store, counted independently of the app's SQL."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from kiosk.content import Content
from kiosk.demo import fill_demo
from kiosk.documents import SummaryError, build_summary
from kiosk.paths import database_path
from kiosk.store import Store, repository
from kiosk.store.summary_queries import MAX_AREAS, MIN_AREA_COUNT, SummaryScope, summarise
from tests.conftest import another_program_writing, make_pledge, save
from tests.pdfcheck import fonts, page_sizes_mm, text_of
from tests.sealed import unseal

TODAY = date(2026, 6, 13)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory, content: Content):  # type: ignore[no-untyped-def]
    from kiosk.store import open_store

    data_dir = tmp_path_factory.mktemp("demo") / "data"
    store = open_store(data_dir)
    fill_demo(store, content, count=1200, today=TODAY)
    yield store
    store.close()


def rows(store: Store, where: str = "1", params: tuple = ()) -> list[sqlite3.Row]:
    """Every counted signature, read with plain sqlite3: the independent side."""
    connection = sqlite3.connect(database_path(store.path.parent))
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(
            f"SELECT * FROM signatures WHERE practice = 0 AND {where}", params
        ).fetchall()
    finally:
        connection.close()


def chosen(store: Store, ids: set[str]) -> Counter[str]:
    connection = sqlite3.connect(database_path(store.path.parent))
    try:
        links = connection.execute(
            "SELECT signature_id, commitment_id FROM signature_commitments"
        ).fetchall()
    finally:
        connection.close()
    return Counter(commitment for signature, commitment in links if signature in ids)


def local_hour(row: sqlite3.Row) -> int:
    utc = datetime.fromisoformat(row["created_at_utc"])
    return (utc + timedelta(minutes=row["utc_offset_minutes"])).hour


def test_range_figures_match_the_store(demo_store: Store) -> None:
    signers = rows(demo_store, "local_date BETWEEN ? AND ?", tuple(map(str, YEAR)))
    with demo_store.session() as session:
        data = summarise(session, SummaryScope(start=YEAR[0], end=YEAR[1]))

    assert data.total == len(signers) == 1200
    assert data.community_opt_ins == sum(r["community_opt_in"] for r in signers)
    assert data.helper_opt_ins == sum(r["helper_opt_in"] for r in signers)
    assert data.in_helsingborg == sum(r["lives_or_works_in_helsingborg"] for r in signers)
    assert dict(data.per_day) == {
        date.fromisoformat(day): n for day, n in Counter(r["local_date"] for r in signers).items()
    }
    assert dict(data.per_hour) == Counter(local_hour(r) for r in signers)
    assert dict(data.commitments) == chosen(demo_store, {r["id"] for r in signers})
    areas = Counter(r["postcode_area"] for r in signers)
    largest = sorted(((-n, a) for a, n in areas.items() if a and n >= MIN_AREA_COUNT))
    expected = [(a, -negative) for negative, a in largest[:MAX_AREAS]]
    assert data.postcode_areas == expected
    assert data.other_areas == sum(n for a, n in areas.items() if a) - sum(n for _a, n in expected)
    assert data.no_postcode == areas[None]
    assert sum(e.signatures for e in data.events) == 1200


def test_event_summary_counts_only_that_event(demo_store: Store) -> None:
    with demo_store.session() as session:
        event = repository.current_event(session)
        assert event is not None
        data = summarise(session, SummaryScope(event_id=event.id))
    signers = rows(demo_store, "event_id = ?", (event.id,))

    assert data.total == len(signers) > 0
    assert [(e.name, e.signatures) for e in data.events] == [(event.name, len(signers))]


def test_summary_pdf_shows_the_figures_and_no_personal_data(
    demo_store: Store, content: Content
) -> None:
    pdf = build_summary(demo_store, content, start=YEAR[0], end=YEAR[1], language="sv")
    text = text_of(pdf)
    with demo_store.session() as session:
        data = summarise(session, SummaryScope(start=YEAR[0], end=YEAR[1]))

    assert "1 200 underskrifter" in text
    assert f"{data.community_opt_ins} vill gå med i communityt" in text
    for commitment_id, count in data.commitments:
        label = re.escape(content.commitment_text(commitment_id, "sv"))
        assert re.search(rf"{label}\s*{count}\b", text), commitment_id
    assert "Valda åtaganden" in text and "Postnummerområden" in text
    assert all(page == (210, 297) for page in page_sizes_mm(pdf))
    assert all(fonts(pdf).values())
    for signer in rows(demo_store)[:200]:
        personal = unseal(signer["sealed"])
        assert personal["name"] not in text
        if personal["email"]:
            assert personal["email"] not in text


def test_summary_in_english(demo_store: Store, content: Content) -> None:
    text = text_of(build_summary(demo_store, content, start=YEAR[0], end=YEAR[1], language="en"))

    assert "1,200 signatures" in text
    assert "Commitments chosen" in text


def test_practice_signatures_are_not_counted(store: Store, market_day: datetime) -> None:
    save(store, make_pledge("Riktig Person", postcode="25221"), now=market_day)
    save(store, make_pledge("Övning Övningsson"), now=market_day, practice=True)

    with store.session() as session:
        data = summarise(session, SummaryScope(start=market_day.date(), end=market_day.date()))

    assert data.total == 1
    assert data.per_hour == [(11, 1)]
    assert dict(data.commitments) == {"bike-short-trips": 1, "less-food-waste": 1}


def test_unknown_event_and_empty_range_are_refused(
    store: Store, content: Content, market_day: datetime
) -> None:
    save(store, now=market_day)

    with pytest.raises(SummaryError) as unknown:
        build_summary(store, content, event_name="Ingen sådan marknad")
    assert unknown.value.key == "print.error_unknown_event"
    with pytest.raises(SummaryError) as empty:
        build_summary(store, content, start=date(2001, 1, 1), end=date(2001, 1, 31))
    assert empty.value.key == "print.error_empty"


def test_a_summary_is_made_while_a_signers_save_holds_the_write_lock(
    demo_store: Store, content: Content
) -> None:
    """An organiser prints the day's summary at a busy stall: the summary only reads,
    so it neither waits for a save's write lock nor holds saves up with one."""
    with another_program_writing(demo_store.path.parent):
        pdf = build_summary(demo_store, content, start=YEAR[0], end=YEAR[1], language="sv")

        assert "1 200 underskrifter" in text_of(pdf)
