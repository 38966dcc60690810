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

Start-up collects nothing at all until the kiosk is ready (`hold`).
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer

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
        """Turn automatic collection off; the timer collects from now on (again: no-op)."""
        if self._timer.isActive():
            return
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect everything here, now, and leave automatic collection as it was."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def hold(self) -> Callable[[], None]:
        """Collect nothing until the returned function is called; that one freezes
        every object made so far (`gc.freeze`) and collecting goes on.

        Start-up (the store's worker loading SQLAlchemy, pydantic and reportlab)
        grows the heap fourfold, to ~120,000 objects. Collected as it grows, the
        young generations came to tens of thousands of objects a time, scanned
        on the GUI thread: the longest freezes of the attract screen (~50 ms).
        What start-up makes (modules, classes, the screens) lives as long as
        the kiosk, and it leaves almost no garbage: frozen without a scan, it is
        never looked at again."""
        running = self._timer.isActive()
        self._timer.stop()

        def release() -> None:
            gc.freeze()
            if running:
                self._timer.start()

        return release

    def collect_due(self) -> None:
        """Collect the generations whose thresholds are crossed, youngest first."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in range(3):
            if counts[generation] <= thresholds[generation]:
                return
            gc.collect(generation)


# Each application's collector. Not app.findChild: PySide wraps every child
# it looks at, and the application's style among them makes QStyle's Python
# class and its enums, ~9 ms before the first frame.
_COLLECTORS: weakref.WeakKeyDictionary[QCoreApplication, GuiThreadCollector] = (
    weakref.WeakKeyDictionary()
)


def collect_on_gui_thread() -> GuiThreadCollector:
    """Start the application's collector, once however often the kiosk is started
    (kiosk.app.start_kiosk: the real start, `make bench`'s and the tests')."""
    app = QCoreApplication.instance()
    assert app is not None, "the QApplication comes first"
    collector = _COLLECTORS.get(app)
    if collector is None:
        collector = _COLLECTORS[app] = GuiThreadCollector(app)
    collector.start()
    return collector
