"""The summary's running totals stay exact when signatures are deleted, changed or migrated."""

from __future__ import annotations

from datetime import datetime, timedelta

from alembic import command
from sqlalchemy import delete, select, text, update

from kiosk.store import Store, open_store
from kiosk.store.engine import alembic_config
from kiosk.store.models import Signature
from kiosk.store.summary_queries import SummaryData, SummaryScope, summarise
from tests.conftest import make_pledge, save
from tests.legacy import save_plaintext


def summary_of(store: Store, day: datetime) -> SummaryData:
    with store.session() as session:
        return summarise(session, SummaryScope(start=day.date(), end=day.date()))


def three_signers(store: Store, market_day: datetime, saver=save) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        saver(
            store, make_pledge("Åsa Öberg", postcode="25221", community_opt_in=True), now=market_day
        ),
        saver(
            store,
            make_pledge("Erik Nilsson", postcode="25467"),
            now=market_day + timedelta(hours=2),
        ),
        saver(
            store,
            make_pledge("Maria Lind", helper_opt_in=True),
            now=market_day + timedelta(hours=2, minutes=5),
        ),
    ]


def test_deleting_a_signature_takes_it_out_of_every_count(
    store: Store, market_day: datetime
) -> None:
    first, second, _third = three_signers(store, market_day)

    with store.session() as session:  # through the ORM (children deleted first) ...
        session.delete(session.get(Signature, first))
        session.commit()
    with store.session() as session:  # ... and in SQL (children by ON DELETE CASCADE)
        session.execute(delete(Signature).where(Signature.id == second))
        session.commit()
    data = summary_of(store, market_day)

    assert data.total == 1
    assert data.per_hour == [(13, 1)]
    assert data.community_opt_ins == 0 and data.helper_opt_ins == 1
    assert dict(data.commitments) == {"bike-short-trips": 1, "less-food-waste": 1}
    assert data.no_postcode == 1 and data.other_areas == 0


def test_changing_a_signature_moves_its_counts(store: Store, market_day: datetime) -> None:
    first, second, third = three_signers(store, market_day)

    with store.session() as session:
        session.execute(update(Signature).where(Signature.id == first).values(postcode_area=None))
        session.execute(update(Signature).where(Signature.id == second).values(practice=True))
        session.execute(
            update(Signature).where(Signature.id == third).values(community_opt_in=True)
        )
        session.commit()
    data = summary_of(store, market_day)

    assert data.total == 2
    assert data.no_postcode == 2
    assert data.community_opt_ins == 2
    assert dict(data.commitments) == {"bike-short-trips": 2, "less-food-waste": 2}


def test_signatures_stored_before_the_totals_existed_are_counted_by_the_migration(
    data_dir, market_day: datetime
) -> None:
    store = open_store(data_dir)
    command.downgrade(alembic_config(store.engine), "83b396c6a312")
    with store.session() as session:
        assert "summary_hourly" not in {
            row[0] for row in session.execute(text("SELECT name FROM sqlite_master"))
        }
    three_signers(store, market_day, save_plaintext)
    store.close()

    reopened = open_store(data_dir)
    try:
        data = summary_of(reopened, market_day)
        with reopened.session() as session:
            stored = len(session.scalars(select(Signature.id)).all())
    finally:
        reopened.close()

    assert data.total == stored == 3
    assert data.per_hour == [(11, 1), (13, 2)]
    assert dict(data.commitments) == {"bike-short-trips": 3, "less-food-waste": 3}
    assert (data_dir / "backups").is_dir()
