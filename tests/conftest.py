"""Shared fixtures. Tests that use `qtbot` are marked `gui` automatically,
so `pytest -m "not gui"` runs on a machine without Qt's libraries.

An unexpected WARNING or ERROR from our own loggers fails the test (as
qutebrowser's tests/helpers/logfail.py does): a warning nobody reads in a
test run is a failure a volunteer would meet with no words. A test that
provokes one on purpose says so with `@pytest.mark.expect_log`, or reads the
log itself through `caplog`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.content import Content, load_consent, load_content
from kiosk.paths import database_path
from kiosk.pledge import Pledge, check_details
from kiosk.store import Store, open_store, repository

# Fixtures shared across folders: the system browser for the web pages.
pytest_plugins = ["tests.browser"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[pytest.CollectReport]:
    """Without PySide6 (the store's own install) a test module that imports Qt is
    a gui module: it is skipped, named in the summary, instead of failing to collect."""
    report: pytest.CollectReport = yield
    if (
        report.failed
        and isinstance(collector, pytest.Module)
        and "No module named 'PySide6'" in str(report.longrepr)
    ):
        report.outcome = "skipped"
        report.longrepr = (str(collector.path), 0, "Skipped: a gui module, PySide6 is missing")
    return report


# --- an unexpected warning in the log fails the test --------------------------

WATCHED_LOGGERS = ("kiosk", "sync", "uvicorn.error")


class LogFailHandler(logging.Handler):
    """Keeps every WARNING+ record from our loggers, for the running test to answer for."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if any(
            record.name == name or record.name.startswith(name + ".") for name in WATCHED_LOGGERS
        ):
            self.records.append(record)


LOGFAIL = LogFailHandler()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "expect_log: the test provokes a WARNING or ERROR log on purpose"
    )
    logging.getLogger().addHandler(LOGFAIL)


def _ensure_logfail_attached() -> None:
    """The kiosk's logging set-up replaces the root's handlers; put ours back."""
    root = logging.getLogger()
    if LOGFAIL not in root.handlers:
        root.addHandler(LOGFAIL)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    _ensure_logfail_attached()
    LOGFAIL.records.clear()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    _ensure_logfail_attached()
    expected = item.get_closest_marker("expect_log") is not None or "caplog" in getattr(
        item, "fixturenames", ()
    )
    unexpected, LOGFAIL.records[:] = list(LOGFAIL.records), []
    if unexpected and not expected:
        lines = "\n".join(
            f"  {record.levelname} {record.name}: {record.getMessage()}" for record in unexpected
        )
        pytest.fail(
            "unexpected WARNING/ERROR in the log (mark the test expect_log if meant):\n" + lines,
            pytrace=False,
        )
    return result


# --- Qt tests collect garbage on the GUI thread, as the kiosk does ----------------


@pytest.fixture(autouse=True)
def gui_thread_collector(request: pytest.FixtureRequest) -> Iterator[object]:
    """For a test that uses qtbot: the kiosk's own collector (kiosk/gui_gc.py), so a
    closed page's widgets are never destroyed by a worker thread that allocates.
    Set up before qtbot and torn down after it: what the test left is collected here."""
    if "qtbot" not in request.fixturenames:
        yield None
        return
    request.getfixturevalue("qapp")
    from kiosk.gui_gc import collect_on_gui_thread  # here: the store's own tests have no Qt

    collector = collect_on_gui_thread()
    yield collector
    collector.stop()  # the tests without Qt get Python's own collection back


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path):  # type: ignore[no-untyped-def]
    opened = open_store(data_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture
def market_day() -> datetime:
    """A Saturday at Stortorget, 11:15 local time (summer time)."""
    return datetime(2026, 6, 13, 11, 15, tzinfo=STOCKHOLM)


@pytest.fixture
def stall_event(store, market_day):  # type: ignore[no-untyped-def]
    """A current event: without one the kiosk refuses to start a pledge (volunteer mode)."""
    with store.session() as session:
        event = repository.create_event(
            session, name="Stortorget", place="Stortorget", event_date=market_day.date()
        )
        repository.set_current_event(session, event)
        session.commit()
        return event


def make_pledge(name: str = "Åsa Öberg", **details: object) -> Pledge:
    """A valid pledge, its details passed through the same checks as the screen's."""
    check = check_details(name=name, consent=True, **details)  # type: ignore[arg-type]
    assert check.ok, check.errors
    stroke = tuple((100 + 20 * i, 300 + (i % 5) * 15) for i in range(30))
    return Pledge(("bike-short-trips", "less-food-waste"), check.details, (stroke,), "sv")


def save(
    store: Store, pledge: Pledge | None = None, *, now: datetime, practice: bool = False
) -> str:
    with store.session() as session:
        event = repository.ensure_current_event(session, default_name="Stortorget", now=now)
        session.commit()
    return repository.save_signature(
        store,
        pledge or make_pledge(),
        event_id=event.id,
        consent=load_consent("sv"),
        now=now,
        practice=practice,
    )


@contextlib.contextmanager
def another_program_writing(data_dir: Path) -> Iterator[None]:
    """Another program (or a signer's save) holds the database's write lock,
    mid-transaction, until the block ends; then it gives up its change."""
    other = sqlite3.connect(database_path(data_dir), isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        other.execute("INSERT INTO settings VALUES ('other-program', '1')")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()
