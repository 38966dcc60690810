"""Volunteer mode on the kiosk window: what the panel's answers change elsewhere.

kiosk.app makes it with its parts (the corner gesture, the lockdown, the
practice banner, the flow, the window) and gives it the panel once the
store is open. It applies saved settings live, shows the practice banner,
and opens the panel (after the PIN) when there is no event to sign under.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

from kiosk.flow import PledgeFlow, Step
from kiosk.ui.common import LanguageButton
from kiosk.ui.theme import CAMPAIGN, HIGH_CONTRAST, Palette, stylesheet
from kiosk.ui.volunteer.gesture import CornerHoldDetector
from kiosk.ui.volunteer.lockdown import Lockdown
from kiosk.ui.volunteer.practice_banner import PracticeBanner
from kiosk.volunteer.controller import PanelController
from kiosk.volunteer.settings import KioskSettings

if TYPE_CHECKING:
    from kiosk.ui.volunteer.panel import VolunteerPanel
    from kiosk.volunteer.panel_jobs import StartState

NO_EVENT_REASON = "volunteer.no_event_reason"
CLOCK_REASON = "volunteer.clock_reason"


def palette_for(settings: KioskSettings) -> Palette:
    return HIGH_CONTRAST if settings.high_contrast else CAMPAIGN


class VolunteerMode:
    """Made with the window; the panel comes once the store is open (`attach_panel`)."""

    def __init__(
        self,
        *,
        window: QWidget,
        flow: PledgeFlow,
        controller: PanelController,
        detector: CornerHoldDetector,
        lockdown: Lockdown,
        practice_banner: PracticeBanner,
    ):
        self.window = window
        self.flow = flow
        self.controller = controller
        self.detector = detector
        self.lockdown = lockdown
        self.practice_banner = practice_banner
        self.panel: VolunteerPanel | None = None
        self.settings = KioskSettings()

    @property
    def practice(self) -> bool:
        """Practice signatures get no receipt."""
        return self.controller.practice

    def attach_panel(self, panel: VolunteerPanel) -> None:
        self.panel = panel

    def on_started(self, state: StartState) -> None:
        """The store has said how the kiosk is set up: apply it, ask for an event if none."""
        self.show_practice()
        self.apply_settings(state.settings)
        if not state.has_event:
            self.open_panel(NO_EVENT_REASON)
        elif self.controller.clock_blocks():
            self.open_panel(CLOCK_REASON)

    def open_panel(self, reason_key: str = "") -> None:
        """The gesture, or a refused start: the PIN, over whatever is showing."""
        if self.panel is not None:  # before the store opens there is nothing to show
            self.panel.request_open(reason_key)

    def on_start_refused(self) -> None:
        """A tap on *Skriv på* that may not start: the PIN, saying why."""
        reason = NO_EVENT_REASON if self.controller.has_event is False else CLOCK_REASON
        self.open_panel(reason)

    def on_printer_chosen(self, name: str) -> None:
        self.settings = replace(self.settings, printer_name=name)

    def show_practice(self, _change: object = None) -> None:
        self.practice_banner.setVisible(self.controller.practice)

    def lock(self) -> None:
        """Kiosk mode: fullscreen without a way out (not for `--windowed`)."""
        self.lockdown.lock()

    def apply_settings(self, settings: KioskSettings) -> None:
        """Apply what can change live; the content file and keyboard apply at next start."""
        self.settings = settings
        flow = self.flow
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
        app = QApplication.instance()
        current = self.window.styleSheet() or (
            app.styleSheet() if isinstance(app, QApplication) else ""
        )
        if sheet != current:
            self.window.setStyleSheet(sheet)

    def quit(self) -> None:
        """End of the day: the only way out of kiosk mode, behind the PIN."""
        self.lockdown.release()
        self.window.close()
