"""The volunteer panel's controller: every read and write the panel does, off the GUI thread.

The pages own widgets and words; this object owns no widget and no words.
A page asks (`load_events()`, `check_pin(digits)`, `save_settings(...)`),
the work runs on the controller's own worker thread in the order asked
(kiosk.workers.SerialWorker), and the answer comes back as a signal on the
GUI thread. So a tap never waits for the database, even while the sync
worker holds the write lock for seconds. A read or write that fails is
reported by `failed` (words: `save_error.<kind>`), never swallowed.

The store work itself is kiosk.volunteer.panel_jobs, imported on the worker
thread: the controller is made with the window, before SQLAlchemy loads.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

from kiosk.clock import Clock, ClockProblem, current_clock_problem, local_now
from kiosk.workers import SerialWorker, run_in_background

if TYPE_CHECKING:
    from types import ModuleType

    from kiosk.content import Content
    from kiosk.store import Store
    from kiosk.volunteer.panel_jobs import EventChoice, EventsView, StartState
    from kiosk.volunteer.pin import PinKeeper
    from kiosk.volunteer.settings import KioskSettings
    from sync.status import SyncStatus


@dataclass(frozen=True)
class SyncAnswer:
    """What came of a tap on "Skicka nu", for the page to word.

    kind: "sent" (sent records, none failed), "not_connected" (the central
    store could not be reached or refused: `pending` wait here), "not_set_up"
    (the kiosk was never enrolled: `pending` wait here).
    """

    kind: str
    sent: int
    pending: int


class StoreSource(Protocol):
    """The store, which may still be opening (kiosk.app.StoreSlot)."""

    def wait(self) -> Store: ...


def _jobs() -> ModuleType:
    """kiosk.volunteer.panel_jobs, loaded on the worker thread (see module doc)."""
    return importlib.import_module("kiosk.volunteer.panel_jobs")


class PanelController(QObject):
    """All of the panel's I/O; results and problems come back as signals."""

    # Reports (GUI thread).
    started = Signal(object)  # StartState, once the store is open
    has_event_changed = Signal(bool)
    events_loaded = Signal(object)  # EventsView
    event_refused = Signal(dict)  # field -> strings key; nothing was saved
    event_changed = Signal()  # chosen, started or ended
    pin_state_loaded = Signal(object)  # PinState
    pin_checked = Signal(object)  # PinResult
    pin_saved = Signal()
    practice_loaded = Signal(bool)
    practice_toggled = Signal(object)  # PracticeChange
    settings_loaded = Signal(object)  # SettingsView
    settings_saved = Signal(object)  # KioskSettings, saved
    settings_refused = Signal(object)  # SettingsOutcome with its problems; nothing saved
    content_checked = Signal(tuple)  # (language, places falling back to Swedish) pairs
    printer_saved = Signal(str)
    dashboard_loaded = Signal(object)  # panel_jobs.DashboardView
    refused_retried = Signal(int)  # records queued again
    pending_loaded = Signal(int)  # signatures waiting (asked before shutting down)
    sync_answered = Signal(object)  # SyncAnswer: "Skicka nu" always hears back
    clock_changed = Signal()  # the clock problem was acknowledged
    print_state_loaded = Signal(object)  # PrintState
    sync_status_changed = Signal(object)  # sync.status.SyncStatus
    events_checked = Signal(list)  # sync.status.EventCheck per event
    check_failed = Signal(str)
    enrolled = Signal(str)  # the device's name
    enrol_failed = Signal(object)  # the exception, for the sync page to word
    failed = Signal(object)  # panel_jobs.Failure
    carry_reported = Signal(object)  # panel_jobs.CarryReport
    # Requests for the sync worker (kiosk.app wires them to SyncLink).
    sync_now_requested = Signal()
    check_requested = Signal()

    def __init__(self, store: StoreSource, *, clock: Clock, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.keeper: PinKeeper | None = None  # set by kiosk.app once the store is open
        # None until the store has said: a signer may begin meanwhile (the save
        # waits for the store, and says "no event" in plain words if there is none).
        self.has_event: bool | None = None
        self.practice = False
        self.sync_status: SyncStatus | None = None
        self._pending = 0
        self._worker = SerialWorker(self)
        # Whether the sync worker runs (kiosk.app gives SyncLink.running); without
        # it "Skicka nu" answers at once that the signatures wait here.
        self.sync_running: Callable[[], bool] = lambda: False
        self._sync_asked: int | None = None  # pending when "Skicka nu" was tapped
        self._saw_syncing = False
        self.clock_acknowledged = False

    # --- plumbing ---------------------------------------------------------------

    def _do(self, work: Callable[[ModuleType, Store], Any], done: Callable[[Any], None]) -> None:
        self._pending += 1

        def finished(result: Any) -> None:
            self._pending -= 1
            done(result)

        def failed(error: BaseException) -> None:
            self._pending -= 1
            self.failed.emit(_jobs().failure(error))

        self._worker.submit(lambda: work(_jobs(), self.store.wait()), finished, failed)

    def _with_keeper(
        self, work: Callable[[ModuleType, PinKeeper], Any], done: Callable[[Any], None]
    ) -> None:
        keeper = self.keeper
        assert keeper is not None, "the PIN is asked for only once the store is open"
        self._do(lambda jobs, _store: work(jobs, keeper), done)

    def is_idle(self) -> bool:
        """No job waits or runs (tests wait for this instead of sleeping)."""
        return self._pending == 0

    def stop(self) -> None:
        """Finish the jobs given and end the worker's thread (the kiosk closes)."""
        self._worker.stop()

    def today(self) -> date:
        return local_now(self.clock).date()

    def may_start(self) -> bool:
        """Whether a pledge may begin: known without a query, so a store that
        cannot be read still lets the flow run to the save, which explains it.

        A wrong laptop clock blocks too, until a volunteer has seen it on the
        dashboard and said to go on (or the clock is set right): signatures
        saved meanwhile are kept, marked as having an unreliable time."""
        return self.has_event is not False and not self.clock_blocks()

    def clock_problem(self) -> ClockProblem | None:
        """The laptop clock's problem (kiosk.clock; the page words it), or None."""
        return current_clock_problem(self.clock)

    def clock_blocks(self) -> bool:
        return not self.clock_acknowledged and self.clock_problem() is not None

    def acknowledge_clock(self) -> None:
        """The volunteer has seen the clock problem: signing may go on until the
        kiosk restarts (the warning stays on the dashboard)."""
        self.clock_acknowledged = True
        self.clock_changed.emit()

    # --- start ------------------------------------------------------------------

    def load_start_state(self) -> None:
        self._do(lambda jobs, store: jobs.read_start_state(store), self._on_started)

    def _on_started(self, state: StartState) -> None:
        self._set_has_event(state.has_event)
        self.practice = state.practice
        self.started.emit(state)

    def _set_has_event(self, has_event: bool) -> None:
        if has_event != self.has_event:
            self.has_event = has_event
            self.has_event_changed.emit(has_event)

    # --- events -----------------------------------------------------------------

    def load_events(self) -> None:
        today = self.today()
        self._do(lambda jobs, store: jobs.read_events(store, today=today), self._on_events)

    def _on_events(self, view: EventsView) -> None:
        self._set_has_event(view.has_event)
        self.events_loaded.emit(view)

    def start_event(self, *, name: str, place: str, volunteers: str, event_date: date) -> None:
        def work(jobs: ModuleType, store: Store) -> dict[str, str]:
            return jobs.start_event(  # type: ignore[no-any-return]
                store, name=name, place=place, volunteers=volunteers, event_date=event_date
            )

        self._do(work, self._on_event_started)

    def start_planned(self, planned: EventChoice) -> None:
        """Run an event the organisers put in the campaign's calendar (one tap)."""
        self._do(lambda jobs, store: jobs.start_planned(store, planned), self._event_changed)

    def _on_event_started(self, errors: dict[str, str]) -> None:
        if errors:
            self.event_refused.emit(errors)
        else:
            self._event_changed()

    def choose_event(self, event_id: str) -> None:
        self._do(lambda jobs, store: jobs.choose_event(store, event_id), self._event_changed)

    def end_event(self) -> None:
        self._do(lambda jobs, store: jobs.end_event(store), self._event_changed)

    def _event_changed(self, _result: object = None) -> None:
        self.event_changed.emit()
        self.load_events()

    # --- PIN --------------------------------------------------------------------

    def load_pin_state(self) -> None:
        self._with_keeper(
            lambda jobs, keeper: jobs.read_pin_state(keeper), self.pin_state_loaded.emit
        )

    def check_pin(self, digits: str) -> None:
        self._with_keeper(
            lambda jobs, keeper: jobs.check_pin(keeper, digits), self.pin_checked.emit
        )

    def set_pin(self, digits: str) -> None:
        self._with_keeper(
            lambda jobs, keeper: jobs.set_pin(keeper, digits), lambda _none: self.pin_saved.emit()
        )

    # --- practice ---------------------------------------------------------------

    def load_practice(self) -> None:
        self._do(lambda jobs, store: jobs.read_practice(store), self._on_practice)

    def _on_practice(self, practice: bool) -> None:
        self.practice = practice
        self.practice_loaded.emit(practice)

    def toggle_practice(self) -> None:
        self._do(lambda jobs, store: jobs.toggle_practice(store), self._on_practice_toggled)

    def _on_practice_toggled(self, change: Any) -> None:
        self.practice = change.practice
        self.practice_toggled.emit(change)

    # --- settings ---------------------------------------------------------------

    def load_settings(self) -> None:
        self._do(lambda jobs, store: jobs.read_settings(store), self.settings_loaded.emit)

    def save_settings(self, entered: KioskSettings) -> None:
        self._do(
            lambda jobs, store: jobs.save_checked_settings(store, entered), self._on_settings_saved
        )

    def _on_settings_saved(self, outcome: Any) -> None:
        if outcome.problems:
            self.settings_refused.emit(outcome)
        else:
            self.content_checked.emit(outcome.untranslated)
            self.settings_saved.emit(outcome.settings)

    def save_printer(self, name: str) -> None:
        self._do(lambda jobs, store: jobs.save_printer(store, name), self.printer_saved.emit)

    # --- dashboard and printing ---------------------------------------------------

    def load_dashboard(self) -> None:
        today = self.today()
        self._do(
            lambda jobs, store: jobs.read_dashboard(store, today=today), self.dashboard_loaded.emit
        )

    def retry_refused(self) -> None:
        """Queue refused records again, then ask the sync worker to send them."""
        self._do(lambda jobs, store: jobs.retry_refused(store), self._on_refused_retried)

    def _on_refused_retried(self, count: int) -> None:
        self.refused_retried.emit(count)
        self.sync_now()
        self.load_dashboard()

    def load_pending(self) -> None:
        self._do(lambda jobs, store: jobs.read_pending(store), self.pending_loaded.emit)

    def summary_maker(self, content: Content, **options: Any) -> Callable[[], bytes]:
        """The function that makes a summary PDF from the store (the print worker runs it)."""

        def make() -> bytes:
            from kiosk.documents.summaries import build_summary  # noqa: PLC0415 - off the GUI thread

            return build_summary(self.store.wait(), content, **options)

        return make

    def load_print_state(self) -> None:
        self._do(lambda jobs, store: jobs.read_print_state(store), self.print_state_loaded.emit)

    # --- sync -------------------------------------------------------------------

    def load_sync_status(self) -> None:
        """Read the stored state (the sync page opened); the worker keeps it current after."""
        self._do(lambda jobs, store: jobs.read_sync_status(store), self.on_sync_status)

    def on_sync_status(self, status: SyncStatus) -> None:
        """A status from the sync worker (or the store): the pages follow it."""
        self.sync_status = status
        self.sync_status_changed.emit(status)
        if self._sync_asked is None:
            return
        if status.syncing:
            self._saw_syncing = True
        elif self._saw_syncing:  # the pass "Skicka nu" asked for has ended
            sent = max(0, self._sync_asked - status.pending)
            self._sync_asked = None
            kind = "not_connected" if status.last_error is not None else "sent"
            self.sync_answered.emit(SyncAnswer(kind, sent, status.pending))

    def on_events_checked(self, checks: list[object]) -> None:
        self.events_checked.emit(checks)

    def on_check_failed(self, message: str) -> None:
        self.check_failed.emit(message)

    def sync_now(self) -> None:
        """Send now; `sync_answered` follows, whatever happens (connected or not)."""
        self._do(lambda jobs, store: jobs.read_sync_status(store), self._on_sync_asked)

    def _on_sync_asked(self, status: SyncStatus) -> None:
        if not status.enrolled:
            self.sync_answered.emit(SyncAnswer("not_set_up", 0, status.pending))
        elif not self.sync_running():
            self.sync_answered.emit(SyncAnswer("not_connected", 0, status.pending))
        else:
            self._sync_asked = status.pending
            self._saw_syncing = False
            self.sync_now_requested.emit()

    def check_events(self) -> None:
        self.check_requested.emit()

    def enrol(self, *, server_url: str, token: str) -> None:
        """Enrol on the thread pool: one HTTP request must not hold up the panel's other work."""

        def work() -> str:
            return _jobs().enrol(self.store.wait(), server_url=server_url, token=token)  # type: ignore[no-any-return]

        self._pending += 1
        run_in_background(work, self._on_enrolled, self._on_enrol_failed, parent=self)

    def _on_enrolled(self, device_name: str) -> None:
        self._pending -= 1
        self.enrolled.emit(device_name)
        self.sync_now_requested.emit()
        self.load_sync_status()

    def _on_enrol_failed(self, error: BaseException) -> None:
        self._pending -= 1
        self.enrol_failed.emit(error)

    # --- carry to a USB stick ---------------------------------------------------------

    def carry(self, folder: str | None) -> None:
        """Save the pending signatures to a carry file in `folder` (a USB stick); with
        None, only read when that was last done. The answer: `carry_reported`."""
        target = Path(folder) if folder is not None else None
        self._do(lambda jobs, store: jobs.carry_to(store, target), self.carry_reported.emit)
