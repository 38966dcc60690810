"""Python's cycle collector runs on the GUI thread only.

Left to itself, the collector runs in whichever thread's allocation crosses
its threshold: the sync worker building a batch, or the volunteer panel's
worker reading the store. Garbage caught in a reference cycle often holds Qt
objects (a closed page and the lambdas connected to its signals); destroying
them from a worker thread while the GUI thread paints crashes the process
(seen in CI: a segfault inside SQLAlchemy on the panel's worker, right after
a page had closed). So automatic collection is turned off and a GUI-thread
timer collects instead, generation by generation as the thresholds say, as
pyqtgraph's GarbageCollector and calibre do.

Start-up holds back full collections instead (`hold_full_collections`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer

# A threshold for the oldest generation that start-up never reaches.
HELD_THRESHOLD = 1_000_000
# Often enough that each collection has little to look at (the GUI stays
# smooth during a sync), rarely enough that an idle kiosk barely wakes.
INTERVAL_MS = 100


class GuiThreadCollector(QObject):
    """While started, cycles are collected by a timer on the thread that made it."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        """Turn automatic collection off; the timer collects from now on."""
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect everything here, now, and leave automatic collection as it was."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> None:
        """Collect the generations whose thresholds are crossed, youngest first."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in range(3):
            if counts[generation] <= thresholds[generation]:
                return
            gc.collect(generation)


def collect_on_gui_thread() -> None:
    """Start the application's collector, once however often the kiosk is started
    (kiosk.app.start_kiosk: the real start, `make bench`'s and the tests')."""
    app = QCoreApplication.instance()
    assert app is not None, "the QApplication comes first"
    if app.findChild(GuiThreadCollector) is None:
        GuiThreadCollector(app).start()


def hold_full_collections() -> Callable[[], None]:
    """No full collection until the returned function is called; that one freezes
    every object made so far (`gc.freeze`) and gives the thresholds back.

    Start-up (the store's worker loading SQLAlchemy, pydantic and reportlab)
    grows the heap fourfold, to ~120,000 objects, and each growth by a
    quarter set off a full collection, scanning all of it with the GIL held:
    30 and 60-80 ms in which the attract screen froze. What start-up makes
    (modules, classes, the screens) lives as long as the kiosk, so frozen it
    is never scanned again; garbage among it stays, once, bounded by what
    start-up made. Younger generations are still collected as usual, by
    Python or by `GuiThreadCollector`, which reads the same thresholds.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], HELD_THRESHOLD)

    def release() -> None:
        gc.collect(1)  # the young garbage of start-up, so little of it is frozen
        gc.freeze()
        gc.set_threshold(*thresholds)

    return release
