"""Background jobs report on the GUI thread, and outlive a closed receiver quietly."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from kiosk.workers import SerialWorker, run_in_background


def test_the_result_arrives_on_the_gui_thread(qtbot):
    owner = QObject()
    seen: list[tuple[object, bool]] = []
    run_in_background(
        lambda: 6 * 7,
        lambda result: seen.append((result, threading.current_thread() is threading.main_thread())),
        lambda error: seen.append((error, False)),
        parent=owner,
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]


def test_an_error_is_reported_not_swallowed(qtbot):
    owner = QObject()
    errors: list[BaseException] = []
    run_in_background(lambda: 1 / 0, lambda _result: None, errors.append, parent=owner)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)


def test_a_job_whose_owner_is_gone_ends_quietly(qtbot):
    owner = QObject()
    release = threading.Event()
    done = threading.Event()
    seen: list[object] = []

    def work() -> int:
        release.wait(5)
        done.set()
        return 1

    run_in_background(work, seen.append, seen.append, parent=owner)
    owner.deleteLater()
    qtbot.wait(50)  # the owner and its job are deleted
    release.set()
    assert done.wait(5)
    qtbot.wait(100)
    assert seen == []


def test_a_serial_worker_runs_jobs_in_order_off_the_gui_thread(qtbot):
    worker = SerialWorker()
    seen: list[tuple[int, bool]] = []
    try:
        for number in range(5):
            worker.submit(
                lambda n=number: (n, threading.current_thread() is threading.main_thread()),
                seen.append,
                lambda _error: seen.append((-1, False)),
            )
        qtbot.waitUntil(lambda: len(seen) == 5)
    finally:
        worker.stop()
    assert seen == [(n, False) for n in range(5)]


def test_a_serial_worker_reports_an_error_and_goes_on(qtbot):
    worker = SerialWorker()
    errors: list[BaseException] = []
    results: list[object] = []
    try:
        worker.submit(lambda: 1 / 0, results.append, errors.append)
        worker.submit(lambda: "next", results.append, errors.append)
        qtbot.waitUntil(lambda: bool(results))
    finally:
        worker.stop()
    assert isinstance(errors[0], ZeroDivisionError) and results == ["next"]
