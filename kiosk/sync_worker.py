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
  when it could not ask (`check_problem(SyncProblem)` gives its kind).

The loop survives anything: an exception from a pass (a full or locked disk
while marking records sent, a bug) is logged, reported as a `local_error`
problem, and the timer is started again with backoff, so sync never stops
quietly while signatures wait.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import replace

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, QTimer, Signal, Slot

from kiosk.privacy.local import kiosk_outbox
from kiosk.store.engine import Store
from kiosk.store.outbox import StoreOutbox, read_status
from sync.client import Backoff, Uploader
from sync.problems import ProblemKind, SyncError, SyncProblem
from sync.status import SyncStatus

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 60_000


class SyncWorker(QObject):
    status_changed = Signal(object)  # SyncStatus
    count_changed = Signal(int)
    events_checked = Signal(list)  # list[EventCheck]
    check_failed = Signal(str)
    check_problem = Signal(object)  # SyncProblem
    finished = Signal()

    def __init__(
        self,
        store: Store,
        *,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        backoff: Backoff | None = None,
        uploader: Uploader | None = None,
        outbox: StoreOutbox | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self._interval_ms = interval_ms
        self._backoff = backoff or Backoff(base=5.0, cap=300.0)
        self.outbox = outbox or kiosk_outbox(store)
        self._uploader = uploader or Uploader(self.outbox)
        self._timer: QTimer | None = None
        # A problem the last pass raised instead of reporting (shown until a pass succeeds).
        self._local_problem: SyncProblem | None = None

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
        except SyncError as exc:
            self.check_problem.emit(exc.problem)
            self.check_failed.emit(str(exc))
            return
        except Exception as exc:  # a local database problem: say so, keep the worker alive
            log.exception("sync: the event check failed")
            problem = _local_problem(exc)
            self.check_problem.emit(problem)
            self.check_failed.emit(problem.message)
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
        """One pass; whatever happens, the timer runs again."""
        delay_ms = self._interval_ms
        try:
            self._report(syncing=True)
            outcome = self._uploader.sync_once()
            self._local_problem = None
            if outcome.error is None:
                self._backoff.reset()
                delay_ms = 0 if outcome.pending else self._interval_ms
            else:
                delay_ms = int(self._backoff.next_delay(outcome.error) * 1000)
        except Exception as exc:
            log.exception("sync: a pass failed on this kiosk")
            self._local_problem = _local_problem(exc)
            delay_ms = int(self._backoff.next_delay() * 1000)
        finally:
            self._report(syncing=False)
            self._schedule(delay_ms)

    def _report(self, *, syncing: bool) -> None:
        """Emit the status; when even reading it fails, report that instead of raising."""
        try:
            status: SyncStatus = read_status(self._store, syncing=syncing)
        except Exception as exc:
            log.exception("sync: the status could not be read")
            self._local_problem = self._local_problem or _local_problem(exc)
            status = SyncStatus(
                enrolled=True,
                server_url=None,
                pending=0,
                refused=0,
                last_success_utc=None,
                last_error=self._local_problem,
                store_total=None,
                attract_count=0,
                syncing=False,
            )
            self.status_changed.emit(status)
            return
        if self._local_problem is not None:
            status = replace(status, last_error=self._local_problem)
        self.status_changed.emit(status)
        self.count_changed.emit(status.attract_count)


def _local_problem(exc: BaseException) -> SyncProblem:
    return SyncProblem(
        ProblemKind.LOCAL_ERROR,
        "This kiosk could not update its own database while syncing "
        f"({type(exc).__name__}: {str(exc)[:200]}); the signatures are kept and sync "
        "tries again. If it goes on, check the disk has space.",
    )


def start_sync_thread(worker: SyncWorker) -> QThread:
    """Move the worker to a new thread and start it (mu's pattern).

    It also calls gc.freeze(): the objects alive by now (modules, Qt, the
    store) are long-lived, and without it every full garbage collection that
    sync's allocations call for (run on the GUI thread, kiosk/gui_gc.py) scans
    them all, which stalled the GUI thread for ~100 ms in the benchmark (26 ms
    with it).
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
