"""Run slow work off the GUI thread and hear back through signals.

Widgets are touched only from the GUI thread: a job runs on Qt's global
thread pool and emits through a QObject that lives in the GUI thread. Its
signals are connected to its own slots, so Qt queues the delivery to the
GUI thread whatever thread emitted them, and the callbacks run there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


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
        try:
            result = self._work()
        except Exception as exc:  # reported to the GUI thread, never swallowed
            self._report(self._job.failed, exc)
        else:
            self._report(self._job.finished, result)

    @staticmethod
    def _report(signal, value: object) -> None:  # type: ignore[no-untyped-def]
        try:
            signal.emit(value)
        except RuntimeError:  # the job's parent (a closed window) is gone: nobody to tell
            pass


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
