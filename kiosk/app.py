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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk.content import Content, ContentError
from kiosk.flow import PledgeFlow, Step
from kiosk.i18n import Translator
from kiosk.paths import database_path, resolve_data_dir
from kiosk.pledge import Pledge
from kiosk.ui.attract import AttractScreen
from kiosk.ui.input_watch import InputWatch
from kiosk.ui.main_window import ActivityFilter, KioskWindow
from kiosk.ui.sync_link import SyncLink
from kiosk.ui.theme import load_fonts, stylesheet
from kiosk.ui.volunteer.keyboard import use_virtual_keyboard
from kiosk.ui.volunteer.mode import VolunteerMode
from kiosk.volunteer.settings import load_chosen_content, peek_settings
from kiosk.workers import run_in_background

if TYPE_CHECKING:
    from kiosk.store import Store
    from kiosk.ui.commitments import CommitmentsScreen
    from kiosk.ui.details import DetailsScreen
    from kiosk.ui.receipt_printing import ReceiptPrinter
    from kiosk.ui.sign import SignScreen
    from kiosk.ui.thanks import ThanksScreen

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


@dataclass
class Kiosk:
    """Everything the running kiosk is made of; tests build one with `build_kiosk`.

    The screens after the attract screen exist once `ensure_screens()` has
    run, and the application's input is watched once `watch_input()` has:
    `build_kiosk` runs both at once, `start_kiosk` right after the attract
    screen's first frame.
    """

    slot: StoreSlot
    content: Content
    translator: Translator
    flow: PledgeFlow
    window: KioskWindow
    attract: AttractScreen
    activity_filter: ActivityFilter
    input_watch: InputWatch
    # Called with the store once it is open (e.g. volunteer mode's attach_store).
    store_listeners: list[Callable[[Store], None]] = field(default_factory=list)
    commitments: CommitmentsScreen = field(init=False)
    details: DetailsScreen = field(init=False)
    sign: SignScreen = field(init=False)
    thanks: ThanksScreen = field(init=False)
    receipts: ReceiptPrinter = field(init=False)
    volunteer: VolunteerMode = field(init=False)
    sync: SyncLink = field(init=False)

    def ensure_screens(self) -> None:
        """Build the pledge screens once; later calls do nothing."""
        if hasattr(self, "thanks"):
            return
        # Imported here: start-up shows the attract screen before loading these.
        from kiosk.ui.commitments import CommitmentsScreen  # noqa: PLC0415
        from kiosk.ui.details import DetailsScreen  # noqa: PLC0415
        from kiosk.ui.sign import SignScreen  # noqa: PLC0415
        from kiosk.ui.thanks import ThanksScreen  # noqa: PLC0415

        self.commitments = CommitmentsScreen(self.flow, self.content)
        self.details = DetailsScreen(self.flow)
        self.sign = SignScreen(self.flow)
        self.thanks = ThanksScreen(self.flow, self.content)
        self.window.add_screen(Step.COMMITMENTS, self.commitments)
        self.window.add_screen(Step.DETAILS, self.details)
        self.window.add_screen(Step.SIGN, self.sign)
        self.window.add_screen(Step.THANKS, self.thanks)
        from kiosk.ui.receipt_printing import ReceiptPrinter  # noqa: PLC0415

        self.receipts = ReceiptPrinter(
            self.flow,
            self.thanks,
            self.content,
            printer_name=lambda: self.volunteer.settings.printer_name,
            is_practice=lambda: self.volunteer.practice,
            event_name=self.current_event_name,
        )

    def watch_input(self) -> None:
        """Watch the application's input: the idle reset, the volunteer gesture
        and the lockdown's keys (see kiosk.ui.input_watch).

        Not before the first frame: the first private Qt object a Python
        filter on the application is handed makes PySide create all its
        classes (~75 ms), and nobody can touch a screen not yet painted.
        """
        self.input_watch.add(self.activity_filter)
        self.volunteer.watch_input()
        QApplication.instance().installEventFilter(self.input_watch)

    @property
    def store(self) -> Store | None:
        """The open store, or None while it is still opening at start-up."""
        return self.slot.store

    def attach_store(self, store: Store) -> None:
        """The store has opened: saves may go ahead, and the count is known."""
        self.slot.set(store)
        self.refresh_count()
        for listener in self.store_listeners:
            listener(store)

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
        self.sync.start(store, **worker_options)
        self.volunteer.connect_sync(self.sync)

    def refresh_count(self) -> None:
        if self.store is None:
            self.attract.set_count(None)
            return
        from kiosk.store import repository  # noqa: PLC0415 - loaded with the store

        with self.store.read_session() as session:  # never waits for a writer
            self.attract.set_count(repository.attract_count(session))

    def close(self) -> None:
        """Stop listening to the application and delete the window now.

        Tests build many kiosks: a window left for some later event loop
        keeps its application-wide filters (gesture, lockdown, panel) called
        on every event and its widgets restyled by every kiosk built after it.
        """
        self.sync.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.input_watch)
        self.flow.reset()
        self.window.close()
        self.window.deleteLater()
        QApplication.sendPostedEvents(self.window, QEvent.Type.DeferredDelete)


def make_saver(slot: StoreSlot):  # type: ignore[no-untyped-def]
    """The function the flow calls (off the GUI thread) to store one pledge."""

    def save(pledge: Pledge) -> str:
        store = slot.wait()
        from kiosk.volunteer.events import save_to_current_event  # noqa: PLC0415 - with the store

        return save_to_current_event(store, pledge)

    return save


def make_email_check(slot: StoreSlot):  # type: ignore[no-untyped-def]
    """Has this email signed before (here, or per the store's list)? No until the store opens."""

    def known(email: str) -> bool:
        if slot.store is None:
            return False
        from kiosk.privacy.local import has_signed_before  # noqa: PLC0415
        from kiosk.privacy.sealing import configured_keys  # noqa: PLC0415

        with slot.store.read_session() as session:
            return has_signed_before(session, configured_keys(session), email)

    return known


def build_kiosk(store: Store | None, content: Content, *, defer_screens: bool = False) -> Kiosk:
    """Make every screen and wire it to one flow; nothing is shown yet.

    With `store=None` the kiosk works without one until `attach_store`.
    With `defer_screens` only the attract screen is made now; the caller
    runs `ensure_screens` and `watch_input` later (a step change before
    that builds the screens too).
    """
    app = QApplication.instance()
    assert isinstance(app, QApplication), "build_kiosk needs a QApplication"
    load_fonts()
    app.setStyleSheet(stylesheet())
    slot = StoreSlot(store)
    translator = Translator()
    flow = PledgeFlow(
        translator=translator, save_pledge=make_saver(slot), known_email=make_email_check(slot)
    )
    attract = AttractScreen(flow, content)
    window = KioskWindow(flow, {Step.ATTRACT: attract})
    activity_filter = ActivityFilter(flow)
    input_watch = InputWatch(window)
    kiosk = Kiosk(slot, content, translator, flow, window, attract, activity_filter, input_watch)
    window.on_missing_screen = lambda _key: kiosk.ensure_screens()
    if not defer_screens:
        kiosk.ensure_screens()
    flow.saved.connect(lambda _uuid: kiosk.refresh_count())
    kiosk.sync = SyncLink(window, translator, attract.set_count)
    flow.saved.connect(kiosk.sync.signature_saved)  # queued on to the worker's thread
    flow.language_changed.connect(kiosk.sync.indicator.on_language_changed)
    kiosk.volunteer = VolunteerMode(kiosk)
    kiosk.store_listeners.append(kiosk.volunteer.attach_store)
    if store is not None:
        kiosk.volunteer.attach_store(store)
    if not defer_screens:
        kiosk.watch_input()
    kiosk.refresh_count()
    return kiosk


# Qt-free modules the GUI thread needs as soon as the store is open: the
# volunteer panel's documents, dashboard, PIN and events, and the sync client.
# `_open_store` imports them on its worker thread, so that loading reportlab,
# httpx and pydantic (~0.7 s) never freezes the attract screen.
LOADED_WITH_THE_STORE = (
    "kiosk.documents.flyer",
    "kiosk.documents.summaries",
    "kiosk.store.dashboard",
    "kiosk.volunteer.events",
    "kiosk.volunteer.pin",
    "kiosk.volunteer.practice",
    "sync.client",
)


def _open_store(data_dir: Path) -> Store:
    from kiosk.privacy.local import retention_at_start  # noqa: PLC0415
    from kiosk.store import open_store  # noqa: PLC0415 - on the worker thread, see module doc

    store = open_store(data_dir)
    retention_at_start(store)
    for module in LOADED_WITH_THE_STORE:
        importlib.import_module(module)
    return store


def _fatal(title: str, message: str) -> int:
    """Show why the kiosk cannot start; nothing on disk has been changed."""
    print(f"klimatavtal: {message}", file=sys.stderr)
    QMessageBox.critical(None, title, message)
    return 1


def _one_step_per_turn(steps: list[Callable[[], object]]) -> None:
    """Run each step in its own turn of the event loop: the attract screen keeps
    moving in between, and a tap waits for one step at most."""
    steps[0]()
    if len(steps) > 1:
        QTimer.singleShot(0, lambda: _one_step_per_turn(steps[1:]))


def start_kiosk(data_dir: Path, *, fullscreen: bool = True) -> Kiosk:
    """Show the attract screen first; build the other screens and open the store after.

    Once the attract screen's first frame is painted, the pledge screens
    are built, the input filters installed, and the store opens on a
    worker thread (SQLAlchemy, Alembic and migrations take longer than all
    of Qt). Nobody can reach the signature before both are done; a tap
    that comes sooner builds the screens at once. Raises ContentError when
    the content file is unusable; if the store cannot be opened the kiosk
    says why and the application exits with 1.
    """
    content = load_chosen_content(peek_settings(database_path(data_dir)))
    kiosk = build_kiosk(None, content, defer_screens=True)

    def store_failed(error: BaseException) -> None:
        kiosk.window.hide()
        _fatal("Klimatavtalet", str(error))
        QApplication.exit(1)

    opening: list[bool] = []

    def open_store() -> None:
        run_in_background(
            lambda: _open_store(data_dir), kiosk.attach_store, store_failed, parent=kiosk.flow
        )

    def after_first_frame() -> None:
        if opening:
            return
        opening.append(True)
        _one_step_per_turn([kiosk.ensure_screens, kiosk.watch_input, open_store])

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
    _when_started(kiosk, then_quit=getattr(args, "quit_after_start", False))
    try:
        return app.exec()
    finally:
        kiosk.sync.stop()
        if kiosk.store is not None:
            kiosk.store.close()
