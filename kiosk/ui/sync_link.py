"""Sync in the running kiosk: the worker's thread, its signals, and a calm indicator.

`SyncLink` is made with the kiosk (kiosk.app) and started with a worker
once the store is open (`start`, a store listener in `start_kiosk`). Everything reaches the
worker through this object's signals, so the worker's slots run queued in
its own thread; its reports come back queued to the GUI thread. `stop`
ends the thread (on quit, and in tests via `Kiosk.close`).

The indicator is for passers-by too, so it stays small and quiet: a dot
and "Synkad" / "Offline – sparas här" in muted text in a corner; any
problem in full is on the volunteer panel's sync page.
"""

from __future__ import annotations

import atexit
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.i18n import Translator

if TYPE_CHECKING:
    from PySide6.QtCore import QThread

    from kiosk.sync_worker import SyncWorker
    from sync.status import SyncStatus

INDICATOR_MARGIN = 3  # inside the screens' 24 px bottom margin, below their buttons


def last_success(status: SyncStatus | None) -> datetime | None:
    """The last successful sync as an aware datetime (the store keeps naive UTC text)."""
    if status is None or not status.last_success_utc:
        return None
    return datetime.fromisoformat(status.last_success_utc).replace(tzinfo=UTC)


def indicator_key(status: SyncStatus | None) -> str | None:
    """Which calm words to show; None shows nothing (sync not set up)."""
    if status is None or not status.enrolled:
        return None
    if status.syncing:
        return "indicator.syncing"
    if status.last_error is None and status.pending == 0:
        return "indicator.synced"
    return "indicator.offline"


class SyncIndicator(QLabel):
    """A dot and a word in the window's bottom-left corner, above every screen."""

    def __init__(self, window: QWidget, words: Translator):
        super().__init__(window)
        self.setObjectName("syncIndicator")
        self.setProperty("role", "muted")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        # Small enough to sit in the margin under "Tillbaka", never over it.
        self.setStyleSheet("font-size: 12px; background: transparent; padding: 0;")
        self.words = words
        self.status: SyncStatus | None = None
        self.hide()
        window.installEventFilter(self)

    def set_status(self, status: SyncStatus) -> None:
        self.status = status
        self.retranslate()

    def on_language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        key = indicator_key(self.status)
        if key is None:
            self.hide()
            return
        self.setText(f"●  {self.words(key)}")
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()

    def _place(self) -> None:
        host = self.parentWidget()
        self.move(INDICATOR_MARGIN, host.height() - self.height() - INDICATOR_MARGIN)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and not self.isHidden():
            self._place()
        return False


class SyncLink(QObject):
    """Owns the sync worker and its thread; the GUI talks to it only by signals."""

    signature_saved = Signal()
    sync_now_requested = Signal()
    check_requested = Signal()
    status_changed = Signal(object)  # SyncStatus, in the GUI thread
    count_changed = Signal(int)  # the attract screen's count, in the GUI thread
    events_checked = Signal(list)  # EventCheck per event, in the GUI thread
    check_failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.status: SyncStatus | None = None
        self.worker: SyncWorker | None = None
        self._thread: QThread | None = None

    def start(self, worker: SyncWorker) -> None:
        """Run `worker` (made by kiosk.app) on its own thread; only the first is kept."""
        from kiosk.sync_worker import start_sync_thread  # noqa: PLC0415 - with the store

        if self.worker is not None:
            worker.deleteLater()
            return
        self.signature_saved.connect(worker.on_signature_saved)
        self.sync_now_requested.connect(worker.sync_now)
        self.check_requested.connect(worker.check_events)
        worker.status_changed.connect(self._on_status)
        worker.count_changed.connect(self.count_changed)
        worker.events_checked.connect(self.events_checked)
        worker.check_failed.connect(self.check_failed)
        self.worker = worker
        self._thread = start_sync_thread(worker)
        # A script that ends without quitting the app must not abort on a running QThread.
        atexit.register(self.stop)
        return worker

    def stop(self) -> None:
        """End the worker's thread; safe to call twice and before `start`."""
        from kiosk.sync_worker import stop_sync_thread  # noqa: PLC0415

        if self.worker is None or self._thread is None:
            return
        atexit.unregister(self.stop)
        stop_sync_thread(self.worker, self._thread)
        self.worker.deleteLater()
        self._thread.deleteLater()
        self.worker = None
        self._thread = None

    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def last_success(self) -> datetime | None:
        return last_success(self.status)

    def _on_status(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)
