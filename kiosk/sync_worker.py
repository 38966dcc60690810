"""The kiosk's sync worker: uploads off the GUI thread and reports by signals.

A `SyncWorker` lives on its own QThread (`start_sync_thread`). It syncs
right after each signature (`on_signature_saved`), on a timer, and when a
volunteer presses "sync now" (`sync_now`). After a failure it waits with
exponential backoff and full jitter, capped; a new signature during that
wait does not hammer a store that is down, "sync now" does try at once.

Connect to its slots through signals (queued across threads), never by
calling them from the GUI thread. It reports:

- `status_changed(SyncStatus)`: pending, last success, last error in plain
  words (and a `kind` for translated text), the store's total;
- `count_changed(int)`: the attract screen's number (store total + pending);
- `events_checked(list[EventCheck])`: after `check_events`, per event whether
  the store holds everything ("all 47 of 47 received"); `check_failed(str)`
  when it could not ask.
"""

from __future__ import annotations

import gc

import httpx
from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, QTimer, Signal, Slot

from kiosk.store.engine import Store
from sync.client import Backoff, EnrolmentError, SyncStatus, Uploader, read_status

DEFAULT_INTERVAL_MS = 60_000


class SyncWorker(QObject):
    status_changed = Signal(object)  # SyncStatus
    count_changed = Signal(int)
    events_checked = Signal(list)  # list[EventCheck]
    check_failed = Signal(str)
    finished = Signal()

    def __init__(
        self,
        store: Store,
        *,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        backoff: Backoff | None = None,
        uploader: Uploader | None = None,
    ):
        super().__init__()
        self._store = store
        self._interval_ms = interval_ms
        self._backoff = backoff or Backoff(base=5.0, cap=300.0)
        self._uploader = uploader or Uploader(store)
        self._timer: QTimer | None = None

    @Slot()
    def start(self) -> None:
        """Runs in the worker's thread (connected to QThread.started)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._sync)
        self._report(syncing=False)
        self._schedule(0)

    @Slot()
    def on_signature_saved(self) -> None:
        """A pledge was stored: send it now, unless the store is down and we are waiting."""
        if self._backoff.failures == 0:
            self._schedule(0)
        else:
            self._report(syncing=False)  # the pending count changed

    @Slot()
    def sync_now(self) -> None:
        self._backoff.reset()
        self._schedule(0)

    @Slot()
    def check_events(self) -> None:
        """Reconcile per event; records the store lacks are queued and sent again."""
        try:
            checks = self._uploader.reconcile()
        except (EnrolmentError, httpx.HTTPError, ValueError) as exc:
            self.check_failed.emit(str(exc))
            return
        self.events_checked.emit(checks)
        if any(check.requeued for check in checks):
            self.sync_now()

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._uploader.close()
        self.finished.emit()

    def _schedule(self, delay_ms: int) -> None:
        if self._timer is not None:
            self._timer.start(delay_ms)

    @Slot()
    def _sync(self) -> None:
        self._report(syncing=True)
        outcome = self._uploader.sync_once()
        if outcome.error is None:
            self._backoff.reset()
            delay_ms = 0 if outcome.pending else self._interval_ms
        else:
            delay_ms = int(self._backoff.next_delay() * 1000)
        self._report(syncing=False)
        self._schedule(delay_ms)

    def _report(self, *, syncing: bool) -> None:
        status: SyncStatus = read_status(self._store, syncing=syncing)
        self.status_changed.emit(status)
        self.count_changed.emit(status.attract_count)


def start_sync_thread(worker: SyncWorker) -> QThread:
    """Move the worker to a new thread and start it (mu's pattern).

    It also calls gc.freeze(): the objects alive by now (modules, Qt, the
    store) are long-lived, and without it every full garbage collection that
    sync's allocations trigger scans them all while holding the GIL, which
    stalled the GUI thread for ~100 ms in the benchmark (26 ms with it).
    """
    gc.freeze()
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.start)
    # Direct: quit() is thread-safe, and the GUI thread may be blocked in wait().
    worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    thread.start()
    return thread


def stop_sync_thread(worker: SyncWorker, thread: QThread, timeout_ms: int = 35_000) -> None:
    """Ask the worker to stop in its own thread and wait for the thread to end."""
    QMetaObject.invokeMethod(worker, "stop", Qt.ConnectionType.QueuedConnection)
    thread.wait(timeout_ms)
