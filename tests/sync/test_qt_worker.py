"""The Qt sync worker against a real central store: signals in, signals out."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import QObject, Signal

from kiosk.store import repository
from kiosk.store.outbox import SERVER_URL_KEY
from kiosk.sync_worker import SyncWorker, start_sync_thread, stop_sync_thread
from sync.client import Backoff
from tests.conftest import save
from tests.sync.conftest import enrolled


class Screens(QObject):
    """Stands in for the GUI: what the screens will emit."""

    signature_saved = Signal()
    sync_now_pressed = Signal()
    check_pressed = Signal()


@pytest.fixture
def run_worker(qtbot, store):  # type: ignore[no-untyped-def]
    started = []

    def run(**options):  # type: ignore[no-untyped-def]
        worker = SyncWorker(store, **options)
        screens = Screens()
        screens.signature_saved.connect(worker.on_signature_saved)
        screens.sync_now_pressed.connect(worker.sync_now)
        screens.check_pressed.connect(worker.check_events)
        statuses, counts = [], []
        worker.status_changed.connect(statuses.append)
        worker.count_changed.connect(counts.append)
        thread = start_sync_thread(worker)
        started.append((worker, thread))
        screens.worker = worker
        return screens, statuses, counts

    yield run
    for worker, thread in started:
        stop_sync_thread(worker, thread)
        assert thread.isFinished()


def test_worker_sends_each_signature_and_reports(
    qtbot, store, market_day, sqlite_live_store, run_worker
):
    enrolled(store, sqlite_live_store)
    save(store, now=market_day)
    screens, statuses, counts = run_worker(interval_ms=60_000)
    qtbot.waitUntil(
        lambda: bool(statuses) and statuses[-1].pending == 0 and statuses[-1].store_total == 1
    )
    assert any(status.syncing for status in statuses)

    save(store, now=market_day)
    screens.signature_saved.emit()
    qtbot.waitUntil(lambda: statuses[-1].store_total == 2 and statuses[-1].pending == 0)
    assert counts[-1] == 2
    assert statuses[-1].last_error is None and statuses[-1].last_success_utc


def test_worker_backs_off_while_the_store_is_away_and_syncs_on_request(
    qtbot, store, market_day, sqlite_live_store, run_worker
):
    enrolled(store, sqlite_live_store)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        away = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with store.session() as session:
        repository.set_setting(session, SERVER_URL_KEY, away)
        session.commit()
    save(store, now=market_day)
    screens, statuses, counts = run_worker(backoff=Backoff(base=600, cap=600))
    qtbot.waitUntil(lambda: bool(statuses) and statuses[-1].last_error is not None)
    assert statuses[-1].last_error.kind == "unreachable"
    assert statuses[-1].pending == 1 and counts[-1] == 1

    save(store, now=market_day)  # backing off: the new signature waits, and is counted
    screens.signature_saved.emit()
    qtbot.waitUntil(lambda: statuses[-1].pending == 2)
    assert statuses[-1].last_error.kind == "unreachable"

    with store.session() as session:  # the network is back; a volunteer presses "sync now"
        repository.set_setting(session, SERVER_URL_KEY, sqlite_live_store.url)
        session.commit()
    screens.sync_now_pressed.emit()
    qtbot.waitUntil(lambda: statuses[-1].pending == 0 and statuses[-1].last_error is None)
    assert counts[-1] == 2


def test_worker_checks_events_for_the_volunteer_panel(
    qtbot, store, market_day, sqlite_live_store, run_worker
):
    enrolled(store, sqlite_live_store)
    save(store, now=market_day)
    save(store, now=market_day)
    screens, statuses, _counts = run_worker()
    qtbot.waitUntil(lambda: bool(statuses) and statuses[-1].pending == 0)
    with qtbot.waitSignal(screens.worker.events_checked) as checked:
        screens.check_pressed.emit()
    assert [check.describe() for check in checked.args[0]] == ["Stortorget: all 2 of 2 received"]


@pytest.mark.expect_log  # the failing passes are logged as errors: that is the point
def test_worker_survives_a_failing_pass_and_keeps_its_timer(
    qtbot, store, market_day, sqlite_live_store, run_worker
):
    """A full or locked disk while marking records sent: reported, and sync goes on."""
    from sqlalchemy.exc import OperationalError

    from kiosk.privacy.local import kiosk_outbox
    from sync.problems import ProblemKind

    enrolled(store, sqlite_live_store)
    save(store, now=market_day)
    outbox = kiosk_outbox(store)
    real = outbox.apply_verdicts
    failures = []

    def full_disk(verdicts):  # type: ignore[no-untyped-def]
        if len(failures) < 2:
            failures.append(verdicts)
            raise OperationalError("UPDATE signatures", {}, Exception("database or disk is full"))
        real(verdicts)

    outbox.apply_verdicts = full_disk  # type: ignore[method-assign]
    _screens, statuses, _counts = run_worker(
        interval_ms=50, backoff=Backoff(base=0.01, cap=0.02), outbox=outbox
    )
    qtbot.waitUntil(
        lambda: any(
            s.last_error is not None and s.last_error.kind == ProblemKind.LOCAL_ERROR
            for s in statuses
        )
    )
    qtbot.waitUntil(lambda: statuses[-1].pending == 0 and statuses[-1].last_error is None)
    assert len(failures) == 2  # two passes failed, the timer ran a third
    assert "disk" in next(s.last_error.message for s in statuses if s.last_error)
