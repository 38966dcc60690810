"""Builds the kiosk: the one place where objects are made and wired together."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk.content import Content, ContentError, load_consent, load_content
from kiosk.flow import PledgeFlow, Step
from kiosk.i18n import Translator
from kiosk.paths import resolve_data_dir
from kiosk.pledge import Pledge
from kiosk.store import Store, StoreError, open_store, repository
from kiosk.ui.attract import AttractScreen
from kiosk.ui.commitments import CommitmentsScreen
from kiosk.ui.details import DetailsScreen
from kiosk.ui.main_window import ActivityFilter, KioskWindow
from kiosk.ui.sign import SignScreen
from kiosk.ui.thanks import ThanksScreen
from kiosk.ui.theme import stylesheet

DEFAULT_EVENT_NAME = "Klimatavtalet"


@dataclass
class Kiosk:
    """Everything the running kiosk is made of; tests build one with `build_kiosk`."""

    store: Store
    content: Content
    translator: Translator
    flow: PledgeFlow
    window: KioskWindow
    attract: AttractScreen
    commitments: CommitmentsScreen
    details: DetailsScreen
    sign: SignScreen
    thanks: ThanksScreen
    activity_filter: ActivityFilter

    def refresh_count(self) -> None:
        with self.store.session() as session:
            self.attract.set_count(repository.attract_count(session))

    def close(self) -> None:
        """Stop listening to the application and let the window go (tests build many)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.activity_filter)
        self.flow.reset()
        self.window.close()
        self.window.deleteLater()


def make_saver(store: Store):  # type: ignore[no-untyped-def]
    """The function the flow calls (off the GUI thread) to store one pledge."""

    def save(pledge: Pledge) -> str:
        try:
            with store.session() as session:
                event = repository.ensure_current_event(
                    session, default_name=DEFAULT_EVENT_NAME, now=repository.local_now()
                )
                session.commit()
        except Exception as exc:  # the same plain words as a failed save itself
            raise repository.classify_error(exc) from exc
        return repository.save_signature(
            store, pledge, event_id=event.id, consent=load_consent(pledge.language)
        )

    return save


def build_kiosk(store: Store, content: Content) -> Kiosk:
    """Make every screen and wire it to one flow; nothing is shown yet."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "build_kiosk needs a QApplication"
    app.setStyleSheet(stylesheet())
    translator = Translator()
    flow = PledgeFlow(translator=translator, save_pledge=make_saver(store))
    attract = AttractScreen(flow, content)
    commitments = CommitmentsScreen(flow, content)
    details = DetailsScreen(flow)
    sign = SignScreen(flow)
    thanks = ThanksScreen(flow, content)
    window = KioskWindow(
        flow,
        {
            Step.ATTRACT: attract,
            Step.COMMITMENTS: commitments,
            Step.DETAILS: details,
            Step.SIGN: sign,
            Step.THANKS: thanks,
        },
    )
    activity_filter = ActivityFilter(flow)
    app.installEventFilter(activity_filter)
    kiosk = Kiosk(
        store,
        content,
        translator,
        flow,
        window,
        attract,
        commitments,
        details,
        sign,
        thanks,
        activity_filter,
    )
    flow.saved.connect(lambda _uuid: kiosk.refresh_count())
    kiosk.refresh_count()
    return kiosk


def _fatal(title: str, message: str) -> int:
    """Show why the kiosk cannot start; nothing on disk has been changed."""
    print(f"klimatavtal: {message}", file=sys.stderr)
    QMessageBox.critical(None, title, message)
    return 1


def run_kiosk(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Klimatavtalet")
    try:
        content = load_content()
    except ContentError as exc:
        return _fatal("Klimatavtalet", f"The content file has a problem: {exc}")
    try:
        store = open_store(resolve_data_dir(getattr(args, "data_dir", None)))
    except StoreError as exc:
        return _fatal("Klimatavtalet", str(exc))
    kiosk = build_kiosk(store, content)
    kiosk.window.show_kiosk(fullscreen=not args.windowed)
    try:
        return app.exec()
    finally:
        store.close()
