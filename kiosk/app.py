"""Builds the kiosk: the one place where objects are made and wired together.

Start-up shows the attract screen first and opens the database on a worker
thread: SQLAlchemy, Alembic and any migration take longer than all of Qt,
and a passer-by needs a few seconds to reach the signature anyway. The
save waits for the store (off the GUI thread); if it cannot be opened the
kiosk stops with the store's own message, and nothing has been written.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.clock import Clock, SystemClock
from kiosk.content import Content, ContentError
from kiosk.flow import PledgeFlow, Step
from kiosk.gil import favour_the_gui_thread
from kiosk.gui_gc import collect_on_gui_thread
from kiosk.i18n import Translator, languages
from kiosk.paths import database_path, resolve_data_dir
from kiosk.ui.attract import AttractScreen
from kiosk.ui.input_watch import InputWatch
from kiosk.ui.main_window import ActivityFilter, KioskWindow
from kiosk.ui.sync_link import SyncIndicator, SyncLink
from kiosk.ui.theme import load_fonts, stylesheet
from kiosk.ui.volunteer.gesture import CornerHoldDetector
from kiosk.ui.volunteer.keyboard import KeyboardAvoider, KeyboardLanguage, use_virtual_keyboard
from kiosk.ui.volunteer.lockdown import Lockdown
from kiosk.ui.volunteer.mode import VolunteerMode, palette_for
from kiosk.ui.volunteer.practice_banner import PracticeBanner
from kiosk.volunteer.controller import PanelController
from kiosk.volunteer.settings import load_chosen_content, peek_settings
from kiosk.workers import run_in_background
from sync.i18n import load_cldr

if TYPE_CHECKING:
    from kiosk.pledge import Pledge
    from kiosk.store import Store
    from kiosk.ui.commitments import CommitmentsScreen
    from kiosk.ui.details import DetailsScreen
    from kiosk.ui.receipt_printing import ReceiptPrinter
    from kiosk.ui.sign import SignScreen
    from kiosk.ui.thanks import ThanksScreen
    from kiosk.ui.volunteer.panel import VolunteerPanel

# A step of start-up: a name (for the log and `make bench`) and the work. Work that
# returns MORE has more to do: it runs again, in the next turn, before the next step.
StartStep = tuple[str, Callable[[], object]]
MORE = "more"
QT_CLASS_BUDGET_S = 0.003  # how long one step makes Qt classes for
STEP_LOG = logging.getLogger("kiosk.startup")
STORE_WAIT_SECONDS = 120  # a migration of a big stall database, on a slow laptop


class StoreSlot:
    """The local store, which may still be opening while the screens are shown."""

    def __init__(self, store: Store | None = None):
        self.store = store
        self._ready = threading.Event()
        if store is not None:
            self._ready.set()

    def set(self, store: Store) -> None:
        self.store = store
        self._ready.set()

    def wait(self, timeout: float = STORE_WAIT_SECONDS) -> Store:
        """The open store; called from worker threads, never from the GUI thread."""
        if not self._ready.wait(timeout) or self.store is None:
            raise TimeoutError("the database did not open in time")
        return self.store


@dataclass(frozen=True)
class PledgeScreens:
    """The screens after the attract screen, made together after its first frame."""

    commitments: CommitmentsScreen
    details: DetailsScreen
    sign: SignScreen
    thanks: ThanksScreen
    receipts: ReceiptPrinter


@dataclass
class Kiosk:
    """Everything the running kiosk is made of; tests build one with `build_kiosk`.

    The pledge screens exist once `ensure_screens()` has run (`screens`),
    the panel once the store is open (`panel`), and the application's input
    is watched once `watch_input()` has: `build_kiosk` runs them at once,
    `start_kiosk` after the attract screen's first frame, as named steps
    one per turn of the event loop (`StepsPerTurn`).
    """

    slot: StoreSlot
    content: Content
    translator: Translator
    clock: Clock
    flow: PledgeFlow
    window: KioskWindow
    attract: AttractScreen
    activity_filter: ActivityFilter
    input_watch: InputWatch
    controller: PanelController
    volunteer: VolunteerMode
    keyboard: KeyboardAvoider
    sync: SyncLink
    sync_indicator: SyncIndicator
    # Called with the store once it is open (e.g. `start_sync` in `start_kiosk`).
    store_listeners: list[Callable[[Store], None]] = field(default_factory=list)
    screens: PledgeScreens | None = None
    panel: VolunteerPanel | None = None
    _partial: dict[str, object] = field(default_factory=dict)  # screens built so far
    _pages: dict[str, QWidget] = field(default_factory=dict)  # panel pages built so far

    def _screens(self) -> PledgeScreens:
        if self.screens is None:
            raise LookupError("the pledge screens are made after the first frame")
        return self.screens

    @property
    def commitments(self) -> CommitmentsScreen:
        return self._screens().commitments

    @property
    def details(self) -> DetailsScreen:
        return self._screens().details

    @property
    def sign(self) -> SignScreen:
        return self._screens().sign

    @property
    def thanks(self) -> ThanksScreen:
        return self._screens().thanks

    @property
    def receipts(self) -> ReceiptPrinter:
        return self._screens().receipts

    def enrolled_store_url(self) -> str | None:
        """The central store this kiosk syncs to: its public page takes withdrawals."""
        status = self.sync.status
        return status.server_url if status else None

    def ensure_screens(self) -> None:
        """Build the pledge screens not built yet, all now; later calls do nothing."""
        for name in SCREEN_NAMES:
            self.build_screen(name)

    def build_screen(self, name: str) -> None:
        """Make one pledge screen and put it in the window."""
        self.make_screen(name)
        self.place_screen(name)

    def make_screen(self, name: str) -> None:
        """Make one pledge screen (start-up makes one per turn of the event loop)."""
        if self.screens is None and name not in self._partial:
            self._partial[name] = _SCREEN_BUILDERS[name](self)
            self._check_screens()

    def place_screen(self, name: str) -> None:
        """Put a made screen in the window's stack, which restyles it for the window
        (start-up does it in a turn of its own)."""
        step = SCREEN_STEPS.get(name)
        if self.screens is None and step is not None and step not in self.window.screens:
            self.window.add_screen(step, self._partial[name])  # type: ignore[arg-type]
            self._check_screens()

    def _check_screens(self) -> None:
        placed = all(step in self.window.screens for step in SCREEN_STEPS.values())
        if placed and len(self._partial) == len(SCREEN_NAMES):
            self.screens = PledgeScreens(**self._partial)  # type: ignore[arg-type]

    def watch_input(self) -> None:
        """Watch the application's input: the idle reset, the volunteer gesture
        and the lockdown's keys (see kiosk.ui.input_watch).

        Not before the first frame: the first private Qt object a Python
        filter on the application is handed makes PySide create all its
        classes not made yet (~100 ms; start-up makes them first, in small
        steps: `qt_class_steps`), and nobody can touch a screen not yet painted.
        """
        from kiosk.ui.focus import FocusRings  # noqa: PLC0415 - after the first frame, as above

        self.input_watch.add(FocusRings(self.window))
        self.input_watch.add(self.activity_filter)
        self.input_watch.add(self.volunteer.detector)
        self.input_watch.add(self.volunteer.lockdown)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self.input_watch)

    @property
    def store(self) -> Store | None:
        """The open store, or None while it is still opening at start-up."""
        return self.slot.store

    def attach_store(self, store: Store) -> None:
        """The store has opened: the panel is made, saves may go ahead, the count is known."""
        run_steps(self.attach_steps(store))

    def attach_steps(self, store: Store) -> list[StartStep]:
        """What `attach_store` does, in steps: the receipt printer, each panel page,
        the panel, each page put into it, the panel wired in, the count, then
        the store itself (saves, the listeners such as sync), so that `store`
        is set once all of it is done. The count may come first: nothing is
        saved or synced before the store is set."""

        def finish() -> None:
            self.slot.set(store)
            for listener in self.store_listeners:
                listener(store)

        made: list[VolunteerPanel] = []

        def stack(name: str) -> None:
            made[0].stack_page(self._pages[name])

        return [
            ("screen receipts", partial(self.build_screen, "receipts")),
            *[
                (f"panel page {name}", partial(_build_page, self, store, name))
                for name in PAGE_NAMES
            ],
            ("panel", lambda: made.append(_make_panel(self, store, stack_pages=False))),
            *[(f"panel stacks page {name}", partial(stack, name)) for name in PAGE_NAMES],
            ("panel wired", lambda: _attach_panel(self, made[0])),
            ("count", partial(self._show_count, store)),
            ("store attached", finish),
        ]

    def current_event_name(self) -> str | None:
        if self.store is None:
            return None
        from kiosk.store.repository import current_event  # noqa: PLC0415 - with the store

        with self.store.read_session() as session:
            event = current_event(session)
            return event.name if event else None

    def start_sync(self, store: Store, **worker_options: object) -> None:
        """Start the sync worker's thread (a store listener in `start_kiosk`;
        tests call it with a short interval)."""
        from kiosk.sync_worker import SyncWorker  # noqa: PLC0415 - with the store

        if not self.sync.running():
            self.sync.start(SyncWorker(store, **worker_options))  # type: ignore[arg-type]

    def refresh_count(self) -> None:
        if self.store is None:
            self.attract.set_count(None)
            return
        self._show_count(self.store)

    def _show_count(self, store: Store) -> None:
        from kiosk.store import repository  # noqa: PLC0415 - loaded with the store

        with store.read_session() as session:  # never waits for a writer
            count = repository.attract_count(session)
            heard = repository.get_setting(session, repository.STORE_TOTAL_KEY) is not None
        # Until the first sync the campaign's last known total stands in for the store's.
        self.attract.set_count(count if heard else count + self.content.campaign.last_known_total)

    def close(self) -> None:
        """Stop the worker threads, stop listening to the application, delete the window now.

        Tests build many kiosks: a window left for some later event loop
        keeps its application-wide filters (gesture, lockdown, panel) called
        on every event and its widgets restyled by every kiosk built after it.
        """
        self.sync.stop()
        self.controller.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.input_watch)
        self.flow.reset()
        self.window.close()
        self.window.deleteLater()
        QApplication.sendPostedEvents(self.window, QEvent.Type.DeferredDelete)


# Each pledge screen's module is imported in its own builder: start-up shows
# the attract screen before loading any of them, then builds one per turn.
def _commitments(kiosk: Kiosk) -> QWidget:
    from kiosk.ui.commitments import CommitmentsScreen  # noqa: PLC0415

    screen = CommitmentsScreen(kiosk.flow, kiosk.content)
    return screen


def _details(kiosk: Kiosk) -> QWidget:
    from kiosk.ui.details import DetailsScreen  # noqa: PLC0415

    screen = DetailsScreen(kiosk.flow)
    return screen


def _sign(kiosk: Kiosk) -> QWidget:
    from kiosk.ui.sign import SignScreen  # noqa: PLC0415

    screen = SignScreen(kiosk.flow)
    return screen


def _thanks(kiosk: Kiosk) -> QWidget:
    from kiosk.ui.thanks import ThanksScreen  # noqa: PLC0415

    screen = ThanksScreen(
        kiosk.flow,
        kiosk.content,
        store_url=kiosk.enrolled_store_url,
        signer_number=lambda: kiosk.attract.count,
    )
    return screen


def _receipts(kiosk: Kiosk) -> object:
    from kiosk.ui.receipt_printing import ReceiptPrinter  # noqa: PLC0415

    kiosk.build_screen("thanks")  # the receipt is offered on the thank-you screen
    volunteer = kiosk.volunteer
    return ReceiptPrinter(
        kiosk.flow,
        kiosk._partial["thanks"],  # type: ignore[arg-type]
        kiosk.content,
        printer_name=lambda: volunteer.settings.printer_name,
        is_practice=lambda: volunteer.practice,
        event_name=kiosk.current_event_name,
    )


_SCREEN_BUILDERS: dict[str, Callable[[Kiosk], object]] = {
    "commitments": _commitments,
    "details": _details,
    "sign": _sign,
    "thanks": _thanks,
    "receipts": _receipts,
}
SCREEN_NAMES = tuple(_SCREEN_BUILDERS)  # the fields of PledgeScreens
SCREEN_STEPS = {  # where each screen goes in the window (the receipt printer is none)
    "commitments": Step.COMMITMENTS,
    "details": Step.DETAILS,
    "sign": Step.SIGN,
    "thanks": Step.THANKS,
}
PAGE_NAMES = ("pin", "dashboard", "event", "sync", "print", "settings")  # PanelPages'


def _build_page(kiosk: Kiosk, store: Store, name: str) -> None:
    """Make one page of the volunteer panel (start-up makes one per turn)."""
    # Imported here, with the store: the window paints before these load.
    if name in kiosk._pages or kiosk.panel is not None:
        return
    controller, words, content = kiosk.controller, kiosk.translator, kiosk.content
    page: QWidget
    if name == "pin":
        from kiosk.ui.volunteer.pin_page import PinPage  # noqa: PLC0415
        from kiosk.volunteer.pin import PinKeeper  # noqa: PLC0415

        controller.keeper = PinKeeper(store, clock=kiosk.clock)
        page = PinPage(controller, words)
    elif name == "dashboard":
        from kiosk.ui.volunteer.dashboard_page import DashboardPage  # noqa: PLC0415

        volunteer = kiosk.volunteer
        page = DashboardPage(
            controller, content, words, palette=lambda: palette_for(volunteer.settings)
        )
    elif name == "event":
        from kiosk.ui.volunteer.event_page import EventPage  # noqa: PLC0415

        page = EventPage(controller, words)
    elif name == "sync":
        from kiosk.ui.volunteer.sync_page import SyncPage  # noqa: PLC0415

        page = SyncPage(controller, words)
    elif name == "print":
        from kiosk.ui.volunteer.print_page import PrintPage  # noqa: PLC0415

        page = PrintPage(controller, content, words)
    else:
        from kiosk.ui.volunteer.settings_page import SettingsPage  # noqa: PLC0415

        page = SettingsPage(controller, words)
    kiosk._pages[name] = page


def _make_panel(kiosk: Kiosk, store: Store, *, stack_pages: bool = True) -> VolunteerPanel:
    """The volunteer panel over its pages (those not made yet are made now)."""
    from kiosk.ui.volunteer.panel import PanelPages, VolunteerPanel  # noqa: PLC0415

    for name in PAGE_NAMES:
        _build_page(kiosk, store, name)
    pages = PanelPages(**kiosk._pages)  # type: ignore[arg-type]
    return VolunteerPanel(
        kiosk.window,
        controller=kiosk.controller,
        pages=pages,
        words=kiosk.translator,
        stack_pages=stack_pages,
    )


def _attach_panel(kiosk: Kiosk, panel: VolunteerPanel) -> None:
    """Wire the made panel in, then ask the controller how the kiosk is set up
    (settings, event, practice): its answer may open the panel at once."""
    if kiosk.panel is not None:
        return
    controller, volunteer, flow = kiosk.controller, kiosk.volunteer, kiosk.flow
    kiosk.panel = panel
    kiosk._pages.clear()
    kiosk.keyboard.overlays = (panel,)
    kiosk.input_watch.add(panel)  # its idle clock, while open
    panel.closed.connect(flow.reset)
    panel.closed.connect(kiosk.refresh_count)
    panel.quit_requested.connect(volunteer.quit)
    # Methods of the panel, so the connections end with it (the flow may outlive it).
    flow.language_changed.connect(panel.on_language_changed)
    volunteer.attach_panel(panel)
    controller.load_start_state()


def make_saver(slot: StoreSlot) -> Callable[[Pledge], str]:
    """The function the flow calls (off the GUI thread) to store one pledge."""

    def save(pledge: Pledge) -> str:
        store = slot.wait()
        from kiosk.volunteer.events import save_to_current_event  # noqa: PLC0415 - with the store

        return save_to_current_event(store, pledge)

    return save


def make_email_check(slot: StoreSlot) -> Callable[[str], bool]:
    """Has this email signed before (here, or per the store's list)? No until the store opens."""

    def known(email: str) -> bool:
        if slot.store is None:
            return False
        from kiosk.privacy.local import has_signed_before  # noqa: PLC0415
        from kiosk.store.keys import configured_keys  # noqa: PLC0415

        with slot.store.read_session() as session:
            return has_signed_before(session, configured_keys(session), email)

    return known


def build_kiosk(
    store: Store | None,
    content: Content,
    *,
    defer_screens: bool = False,
    clock: Clock | None = None,
) -> Kiosk:
    """Make every object and wire it: the one place where the kiosk is put together.

    With `store=None` the kiosk works without one until `attach_store`.
    With `defer_screens` only the attract screen is made now; the caller
    runs `ensure_screens` and `watch_input` later (a step change before
    that builds the screens too). `clock` drives the idle resets, the
    panel's idle time and the PIN lockout (tests give a fake one).
    """
    app = QApplication.instance()
    assert isinstance(app, QApplication), "build_kiosk needs a QApplication"
    load_fonts()
    app.setStyleSheet(stylesheet())
    clock = clock or SystemClock()
    slot = StoreSlot(store)
    translator = Translator()
    controller = PanelController(slot, clock=clock)
    flow = PledgeFlow(
        translator=translator,
        save_pledge=make_saver(slot),
        known_email=make_email_check(slot),
        can_start=controller.may_start,
        clock=clock,
        is_practice=lambda: controller.practice,
    )
    attract = AttractScreen(flow, content)
    window = KioskWindow(flow, {Step.ATTRACT: attract})
    controller.setParent(window)
    practice_banner = PracticeBanner(flow, window)
    window.add_banner(practice_banner)  # above every screen
    volunteer = VolunteerMode(
        window=window,
        flow=flow,
        controller=controller,
        detector=CornerHoldDetector(window),
        lockdown=Lockdown(window),
        practice_banner=practice_banner,
    )
    sync = SyncLink(window)
    sync_indicator = SyncIndicator(window, translator)
    kiosk = Kiosk(
        slot=slot,
        content=content,
        translator=translator,
        clock=clock,
        flow=flow,
        window=window,
        attract=attract,
        activity_filter=ActivityFilter(flow),
        input_watch=InputWatch(window),
        controller=controller,
        volunteer=volunteer,
        keyboard=KeyboardAvoider(window),
        sync=sync,
        sync_indicator=sync_indicator,
    )
    window.on_missing_screen = lambda _key: kiosk.ensure_screens()

    volunteer.detector.triggered.connect(lambda: volunteer.open_panel())
    flow.start_refused.connect(volunteer.on_start_refused)
    controller.started.connect(volunteer.on_started)
    controller.practice_loaded.connect(volunteer.show_practice)
    controller.practice_toggled.connect(volunteer.show_practice)
    controller.settings_saved.connect(volunteer.apply_settings)
    controller.printer_saved.connect(volunteer.on_printer_chosen)
    controller.event_changed.connect(kiosk.refresh_count)
    controller.sync_now_requested.connect(sync.sync_now_requested)
    controller.sync_running = sync.running
    controller.check_requested.connect(sync.check_requested)
    sync.status_changed.connect(sync_indicator.set_status)
    sync.status_changed.connect(controller.on_sync_status)
    sync.events_checked.connect(controller.on_events_checked)
    sync.check_failed.connect(controller.on_check_failed)
    # Read again here, so a kiosk never synced keeps counting from the last known total.
    sync.count_changed.connect(lambda _count: kiosk.refresh_count())
    flow.saved.connect(lambda _uuid: kiosk.refresh_count())
    flow.saved.connect(sync.signature_saved)  # queued on to the worker's thread
    flow.language_changed.connect(sync_indicator.on_language_changed)
    controller.started.connect(lambda state: flow.offer_languages(state.settings.languages))
    controller.settings_saved.connect(lambda settings: flow.offer_languages(settings.languages))
    keyboard_language = KeyboardLanguage(window)
    flow.language_changed.connect(keyboard_language.follow)
    flow.languages_offered.connect(keyboard_language.offer)
    keyboard_language.offer(flow.offered)

    if not defer_screens:
        kiosk.ensure_screens()
    if store is not None:
        _attach_panel(kiosk, _make_panel(kiosk, store))
    if not defer_screens:
        kiosk.watch_input()
    kiosk.refresh_count()
    return kiosk


# Qt-free modules the GUI thread needs as soon as the store is open: the
# volunteer panel's documents, dashboard, PIN and events, and the sync client.
# `_open_store` imports them on its worker thread, so that loading reportlab,
# httpx and pydantic (~0.7 s) never freezes the attract screen.
LOADED_WITH_THE_STORE = (
    "kiosk.printing.cups",  # the receipt printer's, with http.client and email
    "kiosk.documents.output",
    "kiosk.documents.flyer",
    "kiosk.documents.summaries",
    "kiosk.store.dashboard",
    "kiosk.volunteer.events",
    "kiosk.volunteer.panel_jobs",
    "kiosk.volunteer.pin",
    "kiosk.volunteer.practice",
    "kiosk.store.outbox",
    "sync.client",
    "sync.enrolment",
)


def _open_store(data_dir: Path) -> Store:
    from kiosk.privacy.local import retention_at_start  # noqa: PLC0415
    from kiosk.store import open_store  # noqa: PLC0415 - on the worker thread, see module doc

    store = open_store(data_dir)
    retention_at_start(store)
    for module in LOADED_WITH_THE_STORE:
        importlib.import_module(module)
    load_cldr(languages())  # the panel's dates and numbers, read here rather than on the GUI thread
    _first_reads(store)
    return store


def _first_reads(store: Store) -> None:
    """Make, once here, the reads that come first once the store is set: the
    attract screen's count (on the GUI thread) and the panel's start state (on
    its worker, at the same moment). SQLAlchemy compiles a statement on first
    use and the pool opens a connection (its pragmas checked): ~10 ms that held
    the GUI thread in the last start-up step, and its worker's GIL beside it."""
    from kiosk.store import repository  # noqa: PLC0415 - on the worker thread, see module doc
    from kiosk.volunteer.panel_jobs import read_start_state  # noqa: PLC0415 - as above

    with store.read_session() as session:
        repository.attract_count(session)
        repository.get_setting(session, repository.STORE_TOTAL_KEY)
    read_start_state(store)


def _fatal(title: str, message: str) -> int:
    """Show why the kiosk cannot start; nothing on disk has been changed."""
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415 - rare; Qt makes its type slowly

    print(f"klimatavtal: {message}", file=sys.stderr)
    QMessageBox.critical(None, title, message)
    return 1


def _run_step(step: StartStep) -> bool:
    """Run one named step, and log how long it held the GUI thread (`make bench` names
    the step behind the longest wait from these lines); True if it has more to do."""
    name, work = step
    began = time.perf_counter()
    more = work() is MORE
    STEP_LOG.debug("start-up step %s: %.1f ms", name, (time.perf_counter() - began) * 1000)
    return more


def qt_class_steps(budget_s: float = QT_CLASS_BUDGET_S) -> list[StartStep]:
    """Make PySide's Python classes for a few ms per turn, before the input watch.

    PySide makes a Qt class's Python class (and its enums) on first use. The
    first private Qt object an application-wide Python filter is handed (the
    window's QWidgetWindow, with every input event) makes it create every
    QObject class not made yet, ~100 classes in one go: a 100 ms freeze right
    after the first frame. Made here in small steps, none is left for it.
    By time, not by count: a dozen classes took 1 ms or, with QStyle's enums
    among them, 15 ms (30 ms beside the store's worker).
    """
    from PySide6 import QtCore, QtGui, QtWidgets  # noqa: PLC0415

    names = [(m, name) for m in (QtCore, QtGui, QtWidgets) for name in dir(m) if name[0] == "Q"]
    waiting = iter(names)

    def make() -> str | None:
        until = time.perf_counter() + budget_s
        for module, name in waiting:
            getattr(module, name)
            if time.perf_counter() >= until:
                return MORE
        return None

    return [("Qt classes", make)]


def run_steps(steps: list[StartStep]) -> None:
    """Run the steps at once, in order (tests, and `build_kiosk`'s callers)."""
    for step in steps:
        while _run_step(step):
            pass


class StepsPerTurn:
    """Runs steps in order, each in its own turn of the event loop: the attract
    screen keeps moving in between, and a tap waits for one step at most. A
    step with more to do (MORE) runs again in the next turn, before the next.

    Steps added while others wait run after them, so the store's steps (its
    panel, then the store itself) never overtake the first frame's (the
    screens, the input watch): once the store is set, all of it is done.
    The next step waits 1 ms, not 0: Qt runs a zero-delay call queued by a
    step together with the one that queued it, before any timer (the halo's
    animation), so two steps ran back to back with no turn in between.
    """

    def __init__(self) -> None:
        self._waiting: list[StartStep] = []

    def add(self, steps: list[StartStep]) -> None:
        idle = not self._waiting
        self._waiting.extend(steps)
        if idle and self._waiting:
            QTimer.singleShot(1, self._next)

    def _next(self) -> None:
        if not _run_step(self._waiting[0]):
            del self._waiting[0]
        if self._waiting:
            QTimer.singleShot(1, self._next)


def start_kiosk(data_dir: Path, *, fullscreen: bool = True, clock: Clock | None = None) -> Kiosk:
    """Show the attract screen first; build the other screens and open the store after.

    Once the attract screen's first frame is painted, the pledge screens
    are built, the input filters installed, and the store opens on a
    worker thread (SQLAlchemy, Alembic and migrations take longer than all
    of Qt). Nobody can reach the signature before both are done; a tap
    that comes sooner builds the screens at once. Raises ContentError when
    the content file is unusable; if the store cannot be opened the kiosk
    says why and the application exits with 1.
    """
    collector = collect_on_gui_thread()  # a worker thread must never destroy Qt objects
    favour_the_gui_thread()  # before any worker starts: the thank-you QR's, the store's
    content = load_chosen_content(peek_settings(database_path(data_dir)))
    release_collections = collector.hold()  # see there: the longest freezes
    kiosk = build_kiosk(None, content, defer_screens=True, clock=clock)
    kiosk.store_listeners.append(lambda _store: release_collections())

    def store_failed(error: BaseException) -> None:
        kiosk.window.hide()
        _fatal("Klimatavtalet", str(error))
        QApplication.exit(1)

    opening: list[bool] = []
    steps = StepsPerTurn()

    def open_store() -> None:
        run_in_background(
            lambda: _open_store(data_dir),
            lambda store: steps.add(kiosk.attach_steps(store)),
            store_failed,
            parent=kiosk.flow,
        )

    def after_first_frame() -> None:
        if opening:
            return
        opening.append(True)
        # The receipt printer comes with the store, once its worker has loaded the
        # printing modules (see LOADED_WITH_THE_STORE).
        screens = [
            step
            for name in SCREEN_STEPS
            for step in (
                (f"screen {name}", partial(kiosk.make_screen, name)),
                (f"screen {name} placed", partial(kiosk.place_screen, name)),
            )
        ]
        qt_classes = qt_class_steps()  # before the input watch: see there
        steps.add(
            [*screens, ("open store", open_store), *qt_classes, ("input watch", kiosk.watch_input)]
        )

    kiosk.store_listeners.append(kiosk.start_sync)
    queued = Qt.ConnectionType.QueuedConnection
    kiosk.attract.first_painted.connect(after_first_frame, queued)
    kiosk.flow.step_changed.connect(lambda _step: after_first_frame(), queued)  # a quick tap
    if fullscreen:
        kiosk.volunteer.lock()
    kiosk.window.show_kiosk(fullscreen=fullscreen)
    return kiosk


def _when_started(kiosk: Kiosk, *, then_quit: bool) -> None:
    """Log once the attract screen is painted and the store is open (migrations
    ran); with `run --quit-after-start` also exit 0, so CI can prove an
    installed kiosk starts. The kiosk session's restart loop is tested by it."""
    reached: set[str] = set()

    def reach(what: str) -> None:
        if reached == {"painted", "store"}:
            return  # announced already
        reached.add(what)
        if reached != {"painted", "store"}:
            return
        platform = QApplication.platformName()
        logging.getLogger(__name__).info("kiosk started (pid %d, %s)", os.getpid(), platform)
        if then_quit:
            print("klimatavtal: started", flush=True)
            QTimer.singleShot(0, lambda: QApplication.exit(0))  # quit() asks the locked window

    kiosk.attract.first_painted.connect(lambda: reach("painted"))
    kiosk.store_listeners.append(lambda _store: reach("store"))


def run_kiosk(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    # The keyboard must be chosen before the QApplication exists.
    settings = peek_settings(database_path(data_dir))
    use_virtual_keyboard(settings.onscreen_keyboard, settings.default_language)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Klimatavtalet")
    try:
        kiosk = start_kiosk(data_dir, fullscreen=not args.windowed)
    except ContentError as exc:
        return _fatal("Klimatavtalet", f"The content file has a problem: {exc}")
    app.aboutToQuit.connect(kiosk.sync.stop)
    app.aboutToQuit.connect(kiosk.controller.stop)
    _when_started(kiosk, then_quit=getattr(args, "quit_after_start", False))
    try:
        return app.exec()
    finally:
        kiosk.sync.stop()
        kiosk.controller.stop()
        if kiosk.store is not None:
            kiosk.store.close()
