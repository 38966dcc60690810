"""Volunteer mode wired onto a built kiosk: `VolunteerMode(kiosk)` in `build_kiosk`,
then `attach_store(store)` once the store is open.

Owns the hidden gesture, the lockdown, the panel and applying settings.
Leaving the panel sends the flow back to the attract screen; practice mode
shows its banner; with no current event the flow refuses to start and
the panel asks a volunteer (after the PIN) to choose one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from kiosk.flow import Step
from kiosk.ui.common import LanguageButton
from kiosk.ui.theme import CAMPAIGN, HIGH_CONTRAST, Palette, stylesheet
from kiosk.ui.volunteer.gesture import CornerHoldDetector
from kiosk.ui.volunteer.keyboard import KeyboardAvoider
from kiosk.ui.volunteer.lockdown import Lockdown
from kiosk.ui.volunteer.practice_banner import PracticeBanner
from kiosk.volunteer.settings import KioskSettings

if TYPE_CHECKING:
    from kiosk.app import Kiosk
    from kiosk.clock import Clock
    from kiosk.store import Store
    from kiosk.ui.sync_link import SyncLink
    from kiosk.ui.volunteer.dashboard_page import SyncStatus
    from kiosk.ui.volunteer.panel import VolunteerPanel
    from kiosk.volunteer.pin import PinKeeper


def palette_for(settings: KioskSettings) -> Palette:
    return HIGH_CONTRAST if settings.high_contrast else CAMPAIGN


class VolunteerMode:
    """Made with the window; the panel comes once the store is open (`attach_store`),
    so a kiosk that opens its database in the background works the same way."""

    def __init__(
        self,
        kiosk: Kiosk,
        *,
        clock: Clock | None = None,
        sync_status: SyncStatus | None = None,
    ):
        self.kiosk = kiosk
        self.window = kiosk.window
        self.clock = clock
        self.sync_status = sync_status
        self.sync_link: SyncLink | None = None
        self.store: Store | None = None
        self.keeper: PinKeeper | None = None
        self.panel: VolunteerPanel | None = None
        self.settings = KioskSettings()
        # None until the store opens: a signer may begin meanwhile (the save waits
        # for the store, and says "no event" in plain words if there is none).
        self._has_event: bool | None = None
        self.practice = False  # practice signatures get no receipt
        # Above every screen of the window (its layout's first item).
        self.practice_banner = PracticeBanner(kiosk.flow, self.window)
        self.window.layout().insertWidget(0, self.practice_banner)
        self.lockdown = Lockdown(self.window)
        self.detector = CornerHoldDetector(self.window)
        self.keyboard = KeyboardAvoider(self.window)
        self.detector.triggered.connect(lambda: self.open_panel())
        kiosk.flow.can_start = self.has_event

    def attach_store(self, store: Store) -> None:
        """The store is open: read the settings, build the panel, ask for an event if none."""
        # Imported here, with the store: the window paints before SQLAlchemy loads.
        from kiosk.store.repository import current_event  # noqa: PLC0415
        from kiosk.ui.volunteer.panel import NO_EVENT_REASON, VolunteerPanel  # noqa: PLC0415
        from kiosk.volunteer.pin import PinKeeper  # noqa: PLC0415
        from kiosk.volunteer.practice import is_practice  # noqa: PLC0415
        from kiosk.volunteer.settings import load_settings  # noqa: PLC0415

        self.store = store
        with store.session() as session:
            self.settings = load_settings(session)
            self._has_event = current_event(session) is not None
            practice = is_practice(session)
        self.keeper = PinKeeper(store, clock=self.clock)
        kiosk = self.kiosk
        self.panel = panel = VolunteerPanel(
            self.window,
            store=store,
            content=kiosk.content,
            tr=kiosk.translator,
            keeper=self.keeper,
            sync_status=self.sync_status,
            palette=lambda: palette_for(self.settings),
        )
        self.keyboard.overlays = (panel,)
        kiosk.input_watch.add(panel)  # its idle clock, while open
        panel.closed.connect(self.on_panel_closed)
        panel.practice_changed.connect(self.on_practice_changed)
        panel.event_changed.connect(self.on_event_changed)
        panel.settings_saved.connect(self.apply_settings)
        panel.print_page.printer_chosen.connect(self.on_printer_chosen)
        panel.quit_requested.connect(self.quit)
        # Methods of the panel, so the connections end with it (the flow may outlive it).
        kiosk.flow.language_changed.connect(panel.on_language_changed)
        kiosk.flow.start_refused.connect(panel.on_start_refused)
        self.on_practice_changed(practice)
        self.apply_settings(self.settings)
        if not self._has_event:
            panel.request_open(NO_EVENT_REASON)

    def open_panel(self, reason_key: str = "") -> None:
        """The gesture, or a refused start: the PIN, over whatever is showing."""
        if self.panel is not None:  # before the store opens there is nothing to show
            self.panel.request_open(reason_key)

    def set_sync_status(self, sync_status: SyncStatus) -> None:
        """The hook for sync: a callable giving the last successful sync (None: never)."""
        self.sync_status = sync_status
        if self.panel is not None:
            self.panel.dashboard.sync_status = sync_status

    def connect_sync(self, link: SyncLink) -> None:
        """Sync has started: the dashboard and the sync page follow the worker."""
        self.sync_link = link
        link.status_changed.connect(self.on_sync_status)
        if self.panel is not None:
            self.panel.sync_page.connect_link(link)

    def on_sync_status(self, status: object) -> None:
        enrolled = bool(getattr(status, "enrolled", False))
        self.set_sync_status(self.sync_link.last_success if enrolled else None)

    def on_printer_chosen(self, name: str) -> None:
        self.settings = replace(self.settings, printer_name=name)

    def on_practice_changed(self, practice: bool) -> None:
        self.practice = practice
        self.practice_banner.setVisible(practice)

    def has_event(self) -> bool:
        """Whether a pledge may start; known without a query, so a store that
        cannot be read still lets the flow run to the save, which explains it."""
        return self._has_event is not False

    def on_event_changed(self) -> None:
        from kiosk.store.repository import current_event  # noqa: PLC0415

        assert self.store is not None  # the panel exists only with a store
        with self.store.session() as session:
            self._has_event = current_event(session) is not None
        self.kiosk.refresh_count()

    def watch_input(self) -> None:
        """Watch the whole application's input: the corner gesture and the lockdown's keys."""
        self.kiosk.input_watch.add(self.detector)
        self.kiosk.input_watch.add(self.lockdown)

    def lock(self) -> None:
        """Kiosk mode: fullscreen without a way out (not for `--windowed`)."""
        self.lockdown.lock()

    def apply_settings(self, settings: KioskSettings) -> None:
        """Apply what can change live; the content file and keyboard apply at next start."""
        self.settings = settings
        flow = self.kiosk.flow
        flow.configure_idle(
            idle_seconds=settings.idle_seconds, thanks_seconds=settings.thanks_seconds
        )
        flow.default_language = settings.default_language
        if flow.step is Step.ATTRACT and flow.language != settings.default_language:
            flow.set_language(settings.default_language)
        for language_button in self.window.findChildren(LanguageButton):
            language_button.setVisible(len(settings.languages) > 1)
        sheet = stylesheet(palette_for(settings), large_text=settings.large_text)
        # Restyling every screen takes a quarter of a second: not when nothing changes.
        if sheet != (self.window.styleSheet() or QApplication.instance().styleSheet()):
            self.window.setStyleSheet(sheet)

    def on_panel_closed(self) -> None:
        self.kiosk.flow.reset()
        self.kiosk.refresh_count()

    def quit(self) -> None:
        """End of the day: the only way out of kiosk mode, behind the PIN."""
        self.lockdown.release()
        self.window.close()
