"""The dashboard's figures equal independent SQL over a demo-filled store."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from nacl.public import PrivateKey

from kiosk.demo import fill_demo
from kiosk.privacy.sealing import install_keys
from kiosk.store.dashboard import MANY_PENDING, collect_dashboard
from kiosk.store.repository import current_event, set_current_event
from kiosk.volunteer.events import save_to_current_event
from kiosk.volunteer.practice import start_practice
from sync.privacy.keys import CampaignKeys
from tests.conftest import STOCKHOLM, make_pledge

TODAY = date(2026, 6, 13)


@pytest.fixture
def demo_store(store, content):
    fill_demo(store, content, count=600, seed=7, today=TODAY)
    with store.session() as session:  # practice rows that must never show up
        start_practice(session)
        session.commit()
    for minute in range(4):
        save_to_current_event(
            store,
            make_pledge(f"Övning {minute}", community_opt_in=True, helper_opt_in=True),
            now=datetime(2026, 6, 13, 7, minute, tzinfo=STOCKHOLM),
        )
    return store


def raw(store, sql: str, *params):
    connection = sqlite3.connect(store.path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def test_figures_match_independent_sql(demo_store, data_dir):
    with demo_store.session() as session:
        figures = collect_dashboard(session, today=TODAY, data_dir=data_dir)
        event = current_event(session)
    real = "practice = 0"
    assert figures.event_name == event.name
    [(today,)] = raw(
        demo_store,
        f"SELECT count(*) FROM signatures WHERE {real} AND local_date = ?",
        TODAY.isoformat(),
    )
    assert figures.today == today > 0
    [(count, community, helpers)] = raw(
        demo_store,
        f"SELECT count(*), sum(community_opt_in), sum(helper_opt_in) FROM signatures "
        f"WHERE {real} AND event_id = ?",
        event.id,
    )
    assert (figures.event, figures.community_opt_ins, figures.helper_opt_ins) == (
        count,
        community,
        helpers,
    )
    chosen = Counter(
        dict(
            raw(
                demo_store,
                "SELECT c.commitment_id, count(*) FROM signature_commitments c "
                f"JOIN signatures s ON s.id = c.signature_id WHERE s.{real} AND s.event_id = ? "
                "GROUP BY c.commitment_id",
                event.id,
            )
        )
    )
    top_counts = sorted(chosen.values(), reverse=True)[: len(figures.top_commitments)]
    assert [n for _cid, n in figures.top_commitments] == top_counts
    assert all(chosen[cid] == n for cid, n in figures.top_commitments)
    hours: Counter[int] = Counter()
    for created, offset in raw(
        demo_store,
        "SELECT created_at_utc, utc_offset_minutes FROM signatures "
        f"WHERE {real} AND local_date = ?",
        TODAY.isoformat(),
    ):
        hours[(datetime.fromisoformat(created) + timedelta(minutes=offset)).hour] += 1
    assert figures.per_hour == dict(hours)
    assert 7 not in figures.per_hour  # the practice rows were at 07:00
    [(pending,)] = raw(
        demo_store, f"SELECT count(*) FROM signatures WHERE {real} AND sync_state = 'pending'"
    )
    assert figures.pending == pending
    assert figures.free_bytes > 0


def test_attention_names_what_needs_a_volunteer(demo_store, data_dir):
    with demo_store.session() as session:
        figures = collect_dashboard(session, today=TODAY, data_dir=data_dir)
        assert figures.pending >= MANY_PENDING
        assert [a.key for a in figures.attention] == [
            "volunteer.attention_pending",
            "volunteer.attention_development_key",  # a fresh kiosk seals with the dev key
        ]
        set_current_event(session, None)
        install_keys(session, CampaignKeys(PrivateKey.generate().public_key.encode(), b"k" * 32))
        figures = collect_dashboard(session, today=TODAY, data_dir=data_dir)
    assert [a.key for a in figures.attention] == [
        "volunteer.attention_no_event",
        "volunteer.attention_pending",
    ]


def test_low_disk_is_named_with_the_megabytes_left(store, data_dir):
    with store.session() as session:
        figures = collect_dashboard(session, today=TODAY, data_dir=data_dir, low_disk_bytes=2**62)
    low = [a for a in figures.attention if a.key == "volunteer.attention_low_disk"]
    assert low and low[0].values["free"] == figures.free_bytes // 2**20
