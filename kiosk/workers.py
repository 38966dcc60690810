"""Run slow work off the GUI thread and hear back through signals.

Widgets are touched only from the GUI thread: a job runs on Qt's global
thread pool (`run_in_background`) or on a `SerialWorker`'s own QThread, and
emits through a QObject that lives in the GUI thread. Its signals are
connected to its own slots, so Qt queues the delivery to the GUI thread
whatever thread emitted them, and the callbacks run there.

A `SerialWorker` runs its jobs one after another in the order given: the
volunteer panel's "start this event" and the "which events are open?" that
follows it must not overtake each other on a pool.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, SignalInstance, Slot


class BackgroundJob(QObject):
    """Reports a background job's outcome on the thread that created it."""

    finished = Signal(object)  # the job's return value
    failed = Signal(object)  # the exception it raised

    def __init__(
        self,
        on_finished: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._on_finished = on_finished
        self._on_failed = on_failed
        self.finished.connect(self._deliver_result)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        self._on_finished(result)
        self.deleteLater()

    @Slot(object)
    def _deliver_error(self, error: object) -> None:
        self._on_failed(error)  # type: ignore[arg-type]
        self.deleteLater()


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[], Any], job: BackgroundJob):
        super().__init__()
        self._work = work
        self._job = job

    def run(self) -> None:
        _run_job(self._work, self._job)


def _report(signal: SignalInstance, value: object) -> None:
    try:
        signal.emit(value)
    except RuntimeError:  # the job's parent (a closed window) is gone: nobody to tell
        pass


def _run_job(work: Callable[[], Any], job: BackgroundJob) -> None:
    try:
        result = work()
    except Exception as exc:  # reported to the GUI thread, never swallowed
        _report(job.failed, exc)
    else:
        _report(job.finished, result)


def run_in_background(
    work: Callable[[], Any],
    on_finished: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    parent: QObject | None = None,
) -> BackgroundJob:
    """Start `work` on the thread pool; the callbacks run on this (GUI) thread."""
    job = BackgroundJob(on_finished, on_failed, parent)
    QThreadPool.globalInstance().start(_Runnable(work, job))
    return job


class _JobRunner(QObject):
    """Lives in the worker's thread; its slot runs each job there, in turn."""

    @Slot(object)
    def run(self, job: tuple[Callable[[], Any], BackgroundJob]) -> None:
        _run_job(*job)


class SerialWorker(QObject):
    """A QThread of its own that runs jobs in the order they were submitted.

    `submit` returns at once; the callbacks run on the GUI thread. `stop`
    lets the jobs already given finish, then ends the thread.
    """

    _submitted = Signal(object)  # (work, job): queued to the runner's thread

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("serial-worker")
        self._runner = _JobRunner()
        self._runner.moveToThread(self._thread)
        self._submitted.connect(self._runner.run)
        self._thread.finished.connect(self._runner.deleteLater)
        self._thread.start()
        # A script that ends without closing the kiosk must not abort on a running QThread.
        atexit.register(self.stop)

    def submit(
        self,
        work: Callable[[], Any],
        on_finished: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
    ) -> BackgroundJob:
        job = BackgroundJob(on_finished, on_failed, self)
        self._submitted.emit((work, job))
        return job

    def stop(self) -> None:
        """Finish the jobs given so far and end the thread; safe to call twice."""
        atexit.unregister(self.stop)
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
