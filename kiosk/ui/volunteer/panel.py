"""The volunteer panel: an overlay over the kiosk window, behind the PIN.

It opens on the hidden gesture (or by itself when there is no event),
asks for the PIN, then shows the dashboard, the event page and the
settings, sync and printing. Leaving it, or leaving it alone for
`idle_seconds` (on the controller's clock), hides it and the kiosk goes
back to the attract screen. Its pages are made by kiosk.app and given to it;
every read and write goes through the controller, so no tap waits for the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import Translator
from kiosk.ui.common import button, label
from kiosk.ui.main_window import ACTIVITY_EVENTS
from kiosk.ui.volunteer.dashboard_page import DashboardPage
from kiosk.ui.volunteer.event_page import EventPage
from kiosk.ui.volunteer.pin_page import PinPage
from kiosk.ui.volunteer.print_page import PrintPage
from kiosk.ui.volunteer.quit_confirm import QuitConfirm
from kiosk.ui.volunteer.settings_page import SettingsPage
from kiosk.ui.volunteer.sync_page import SyncPage
from kiosk.volunteer.controller import PanelController

if TYPE_CHECKING:
    from kiosk.volunteer.panel_jobs import Failure, PracticeChange

PANEL_IDLE_SECONDS = 120
IDLE_CHECK_MS = 1000  # how often the idle time is looked at
DASHBOARD_REFRESH_MS = 30_000  # the count moves while volunteers watch
PAGES = ("dashboard", "event", "sync", "print", "settings")


@dataclass(frozen=True)
class PanelPages:
    """The panel's pages, made by kiosk.app."""

    pin: PinPage
    dashboard: DashboardPage
    event: EventPage
    sync: SyncPage
    print: PrintPage
    settings: SettingsPage


class PageStack(QStackedWidget):
    """A stack whose height is the shown page's alone.

    QStackedLayout answers heightForWidth with its tallest page, so inside
    the panel's scroll area every page got the PIN page's or the settings'
    height and the dashboard scrolled though it fits the screen.
    """

    def heightForWidth(self, width: int) -> int:
        page = self.currentWidget()
        if page is None:
            return -1
        if page.hasHeightForWidth():
            return page.heightForWidth(width)
        return page.minimumSizeHint().height()


class VolunteerPanel(QWidget):
    closed = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        host: QWidget,
        *,
        controller: PanelController,
        pages: PanelPages,
        words: Translator,
        idle_seconds: float = PANEL_IDLE_SECONDS,
        stack_pages: bool = True,
    ):
        """With `stack_pages=False` the caller adds each page with `stack_page`,
        one per turn of the event loop at start-up: adding a page restyles all
        its widgets for the panel (~20 ms a page)."""
        super().__init__(host)
        self.setObjectName("volunteerPanel")
        # A plain QWidget subclass paints its stylesheet background only with this.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.host = host
        self.controller = controller
        self.words = words
        self.unlocked = False
        self.idle_seconds = idle_seconds
        self._touched_at = controller.clock.monotonic()

        self.pin_page = pages.pin
        self.pin_page.unlocked.connect(self.on_unlocked)
        self.pin_page.cancelled.connect(self.leave)
        self.pin_page.pin_chosen.connect(self.on_pin_chosen)
        self.dashboard = pages.dashboard
        self.event_page = pages.event
        self.sync_page = pages.sync
        self.print_page = pages.print
        self.settings_page = pages.settings
        self.settings_page.change_pin_requested.connect(self.change_pin)
        controller.practice_loaded.connect(self.on_practice_loaded)
        controller.practice_toggled.connect(self.on_practice_toggled)
        controller.failed.connect(self.on_failed)
        self.pages = {
            "dashboard": self.dashboard,
            "event": self.event_page,
            "sync": self.sync_page,
            "print": self.print_page,
            "settings": self.settings_page,
        }
        self.stack = PageStack(self)
        if stack_pages:
            for page in (self.pin_page, *self.pages.values()):
                self.stack_page(page)

        self.title = label("panelTitle", "title", self)
        self.tabs = {name: button(f"{name}Tab", parent=self) for name in PAGES}
        for name, tab in self.tabs.items():
            tab.setCheckable(True)
            tab.clicked.connect(lambda _checked=False, n=name: self.show_page(n))
        self.practice_button = button("practiceButton", parent=self)
        self.practice_button.clicked.connect(self.toggle_practice)
        self.close_button = button("closePanel", "primary", self)
        self.close_button.clicked.connect(self.leave)
        self.quit_button = button("quitKiosk", parent=self)
        self.quit_button.clicked.connect(self.ask_quit)
        self.quit_confirm = QuitConfirm(controller, words, self)
        self.quit_confirm.confirmed.connect(self.quit_requested)
        self.notice = label("panelNotice", "muted", self)

        self.header = QWidget(self)
        top_row = QHBoxLayout()
        top_row.addWidget(self.title)
        top_row.addStretch()
        top_row.addWidget(self.practice_button)
        top_row.addWidget(self.close_button)
        tab_row = QHBoxLayout()
        for tab in self.tabs.values():
            tab_row.addWidget(tab)
        tab_row.addStretch()
        tab_row.addWidget(self.quit_button)
        header_layout = QVBoxLayout(self.header)
        header_layout.setContentsMargins(0, 0, 0, 0)
        header_layout.addLayout(top_row)
        header_layout.addLayout(tab_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.header)
        layout.addWidget(self.notice)
        # Scrollable, so the on-screen keyboard can shrink the panel and a covered
        # field can be scrolled above it.
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("panelScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setWidget(self.stack)
        layout.addWidget(self.scroll_area, 1)

        self.refresh_timer = QTimer(self, interval=DASHBOARD_REFRESH_MS)
        self.refresh_timer.timeout.connect(self.on_refresh_tick)
        self.idle_timer = QTimer(self, interval=IDLE_CHECK_MS)
        self.idle_timer.timeout.connect(self.check_idle)
        host.installEventFilter(self)  # its resizes; input comes from volunteer mode's watch
        self.hide()
        self.retranslate()

    def stack_page(self, page: QWidget) -> None:
        """Put one of the panel's pages in its stack (the PIN page first)."""
        self.stack.addWidget(page)

    # --- opening and leaving --------------------------------------------------

    def request_open(self, reason_key: str = "") -> None:
        """The gesture (or a missing event): ask for the PIN over whatever is showing."""
        if not self.isHidden():
            return
        self.unlocked = False
        self.setGeometry(self.host.rect())
        self.header.hide()
        self.notice.hide()
        self._show_in_stack(self.pin_page)
        self.pin_page.begin(reason_key=reason_key)
        self.show()
        self.raise_()
        self.touch()
        self.idle_timer.start()

    def touch(self) -> None:
        """A volunteer did something: the idle time starts again."""
        self._touched_at = self.controller.clock.monotonic()

    def check_idle(self) -> None:
        """Left alone long enough? Then leave (what the idle timer's tick does)."""
        if self.controller.clock.monotonic() - self._touched_at >= self.idle_seconds:
            self.leave()

    def on_unlocked(self) -> None:
        self.unlocked = True
        self.refresh_timer.start()
        self.header.show()
        self._show_practice()
        self.controller.load_practice()
        self.show_page("dashboard" if self.controller.has_event is not False else "event")

    def on_refresh_tick(self) -> None:
        if self.unlocked and self.stack.currentWidget() is self.dashboard:
            self.dashboard.refresh()

    def leave(self) -> None:
        if self.isHidden():
            return
        self.refresh_timer.stop()
        self.idle_timer.stop()
        self.unlocked = False
        for overlay in self.findChildren(QWidget):
            if overlay.property("panelOverlay"):
                overlay.hide()  # a preview or a question must not wait for the next volunteer
        self.hide()
        self.closed.emit()

    def show_page(self, name: str) -> None:
        if not self.unlocked:
            return
        page = self.pages[name]
        if page is self.dashboard:
            self.dashboard.refresh()
        elif page is self.event_page:
            self.event_page.clear_form()
            self.event_page.refresh()
        elif page is self.sync_page:
            self.sync_page.refresh()
        elif page is self.print_page:
            self.print_page.load()
        else:
            self.settings_page.load()
        self._show_in_stack(page)
        for tab_name, tab in self.tabs.items():
            tab.setChecked(tab_name == name)

    def _show_in_stack(self, page: QWidget) -> None:
        """Show one page; only its size counts, so a tall page scrolls alone."""
        for index in range(self.stack.count()):
            widget = self.stack.widget(index)
            if widget is None:  # typed optional; an index below count() always has one
                continue
            policy = QSizePolicy.Policy.Preferred if widget is page else QSizePolicy.Policy.Ignored
            widget.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(page)
        # Not adjustSize(): that shrank a hidden panel's stack to the page's hint
        # (the PIN pad squeezed into the left third until the next relayout).
        # The scroll area lays the stack out again at its own size (this call
        # makes it do so now, not at the next resize).
        self.stack.updateGeometry()
        self.scroll_area.setWidgetResizable(True)

    def is_open(self) -> bool:
        return not self.isHidden()

    def current_page(self) -> str:
        current = self.stack.currentWidget()
        if current is self.pin_page:
            return "pin"
        return next(name for name, page in self.pages.items() if page is current)

    # --- actions ----------------------------------------------------------------

    def ask_quit(self) -> None:
        """*Stäng av kiosken*: asks once, with what still waits to be sent."""
        self.quit_confirm.ask()

    def change_pin(self) -> None:
        self.header.hide()
        self._show_in_stack(self.pin_page)
        self.pin_page.begin(change=True)

    def on_pin_chosen(self) -> None:
        if self.pin_page.changing:
            self.header.show()
            self.show_page("settings")
            self._say(self.words("volunteer.pin_changed"))

    def toggle_practice(self) -> None:
        self.practice_button.setEnabled(False)  # until the store has it
        self.controller.toggle_practice()

    def on_practice_toggled(self, change: PracticeChange) -> None:
        self.practice_button.setEnabled(True)
        if change.practice:
            self._say(self.words("volunteer.practice_started"))
        else:
            self._say(
                self.words.plural("volunteer.practice_ended", change.deleted, count=change.deleted)
            )
        self._show_practice()

    def on_practice_loaded(self, _practice: bool) -> None:
        self._show_practice()

    def on_failed(self, failure: Failure) -> None:
        """A read or write of the panel did not work: say so, in the volunteer's words."""
        for widget in (self.practice_button, self.settings_page.save_button):
            widget.setEnabled(True)
        self.pin_page.refresh_lock()  # the pad waited for an answer that will not come
        self._say(self.words(f"save_error.{failure.kind}", detail=failure.detail))

    def _show_practice(self) -> None:
        practice = self.controller.practice
        key = "volunteer.practice_stop" if practice else "volunteer.practice_start"
        self.practice_button.setText(self.words(key))
        self.practice_button.setProperty("role", "primary" if practice else "")
        self.practice_button.style().unpolish(self.practice_button)
        self.practice_button.style().polish(self.practice_button)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def on_language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        t = self.words
        self.title.setText(t("volunteer.title"))
        for name, tab in self.tabs.items():
            tab.setText(t(f"volunteer.tab_{name}"))
        self.close_button.setText(t("volunteer.close"))
        self.quit_button.setText(t("volunteer.quit"))
        self.pin_page.retranslate()
        self.event_page.retranslate()
        self.settings_page.retranslate()
        self.sync_page.retranslate()
        self.print_page.retranslate()
        self.dashboard.retranslate()
        self.quit_confirm.retranslate()
        self._show_practice()

    # --- idle and geometry ---------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
        elif not self.isHidden() and event.type() in ACTIVITY_EVENTS:
            self.touch()
        return False
