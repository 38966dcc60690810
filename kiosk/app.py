"""Builds the kiosk: the one place where objects are made and wired together."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kiosk.content import Content, ContentError
from kiosk.flow import PledgeFlow, Step
from kiosk.i18n import Translator
from kiosk.paths import database_path, resolve_data_dir
from kiosk.pledge import Pledge
from kiosk.store import Store, StoreError, open_store, repository
from kiosk.ui.attract import AttractScreen
from kiosk.ui.main_window import ActivityFilter, KioskWindow
from kiosk.ui.theme import stylesheet
from kiosk.ui.volunteer.keyboard import use_virtual_keyboard
from kiosk.ui.volunteer.mode import VolunteerMode
from kiosk.volunteer.events import save_to_current_event
from kiosk.volunteer.settings import load_chosen_content, peek_settings


@dataclass
class Kiosk:
    """Everything the running kiosk is made of; tests build one with `build_kiosk`."""

    store: Store
    content: Content
    translator: Translator
    flow: PledgeFlow
    window: KioskWindow
    attract: AttractScreen
    volunteer: VolunteerMode = field(init=False)

    def refresh_count(self) -> None:
        with self.store.session() as session:
            self.attract.set_count(repository.attract_count(session))


def make_saver(store: Store):  # type: ignore[no-untyped-def]
    """The function the flow calls (off the GUI thread) to store one pledge."""

    def save(pledge: Pledge) -> str:
        return save_to_current_event(store, pledge)

    return save


def build_kiosk(store: Store, content: Content) -> Kiosk:
    translator = Translator()
    flow = PledgeFlow(translator=translator, save_pledge=make_saver(store))
    attract = AttractScreen(flow, content)
    screens: dict[Step, QWidget] = {Step.ATTRACT: attract}
    window = KioskWindow(flow, screens)
    kiosk = Kiosk(store, content, translator, flow, window, attract)
    flow.saved.connect(lambda _uuid: kiosk.refresh_count())
    kiosk.refresh_count()
    kiosk.volunteer = VolunteerMode(kiosk)
    kiosk.volunteer.attach_store(store)
    return kiosk


def _fatal(title: str, message: str) -> int:
    """Show why the kiosk cannot start; nothing on disk has been changed."""
    print(f"klimatavtal: {message}", file=sys.stderr)
    QMessageBox.critical(None, title, message)
    return 1


def run_kiosk(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    # The keyboard must be chosen before the QApplication exists.
    settings = peek_settings(database_path(data_dir))
    use_virtual_keyboard(settings.onscreen_keyboard, settings.default_language)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Klimatavtalet")
    app.setStyleSheet(stylesheet())
    try:
        content = load_chosen_content(settings)
    except ContentError as exc:
        return _fatal("Klimatavtalet", f"The content file has a problem: {exc}")
    try:
        store = open_store(data_dir)
    except StoreError as exc:
        return _fatal("Klimatavtalet", str(exc))
    kiosk = build_kiosk(store, content)
    app.installEventFilter(ActivityFilter(kiosk.flow))
    if args.windowed:
        kiosk.window.resize(1280, 800)
        kiosk.window.show()
    else:
        kiosk.volunteer.lock()
        kiosk.window.setGeometry(app.primaryScreen().geometry())  # also without a WM
        kiosk.window.showFullScreen()
    try:
        return app.exec()
    finally:
        store.close()
