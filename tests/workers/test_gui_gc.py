"""Cycles are collected on the GUI thread, never on a worker that happens to allocate.

A collection on a worker destroys whatever Qt objects the garbage holds from
the wrong thread; CI saw the process crash that way (kiosk/gui_gc.py).
"""

from __future__ import annotations

import gc
import threading

from kiosk.gui_gc import INTERVAL_MS, GuiThreadCollector, collect_on_gui_thread


class Cycle:
    """Garbage in a reference cycle that writes down which thread collected it."""

    def __init__(self, seen: list[str]):
        self.itself = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def allocate_past_the_threshold() -> list[list[int]]:
    """Like a sync batch being built: enough live containers to start a collection."""
    return [[index] for index in range(4 * gc.get_threshold()[0])]


def test_a_worker_that_allocates_collects_nothing(qtbot, gui_thread_collector):
    seen: list[str] = []
    Cycle(seen)
    worker = threading.Thread(target=allocate_past_the_threshold, name="panel-worker")
    worker.start()
    worker.join()
    assert seen == []

    kept = allocate_past_the_threshold()  # the GUI thread allocates too, as it always does
    qtbot.waitUntil(lambda: seen != [])
    assert seen == [threading.main_thread().name]
    assert kept


def test_stopping_collects_at_once_and_gives_collection_back(qapp):
    collector = GuiThreadCollector()
    seen: list[str] = []
    assert gc.isenabled()
    collector.start()
    try:
        assert not gc.isenabled()
        Cycle(seen)
    finally:
        collector.stop()
    assert seen == [threading.main_thread().name]
    assert gc.isenabled()


def test_the_application_keeps_one_collector_however_often_the_kiosk_starts(
    qtbot, gui_thread_collector
):
    """Two collectors would each collect, twice as often; and stopping one would
    hand collection back to Python while the other still ran."""
    assert collect_on_gui_thread() is gui_thread_collector
    assert collect_on_gui_thread() is gui_thread_collector


def test_start_up_collects_nothing_then_freezes_what_it_made(qtbot, gui_thread_collector):
    """Start-up's heap is never scanned on the GUI thread while it grows (a 50 ms
    freeze of the attract screen); once released, collecting goes on as before."""
    release = gui_thread_collector.hold()  # the kiosk's own, as start_kiosk holds it
    seen: list[str] = []
    try:
        Cycle(seen)
        kept = allocate_past_the_threshold()
        qtbot.wait(3 * INTERVAL_MS)
        assert seen == []  # held: not collected on any thread
    finally:
        release()
    try:
        assert gc.get_freeze_count() > len(kept)  # frozen, never scanned again
        Cycle(seen)
        more = allocate_past_the_threshold()
        qtbot.waitUntil(lambda: seen != [])
        assert seen == [threading.main_thread().name] and more
    finally:
        gc.unfreeze()  # the rest of the test run scans everything again
