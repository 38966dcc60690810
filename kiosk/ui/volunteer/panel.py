"""The volunteer panel: an overlay over the kiosk window, behind the PIN.

It opens on the hidden gesture (or by itself when there is no event),
asks for the PIN, then shows the dashboard, the event page and the
settings, sync and printing. Leaving it, or leaving it alone for `idle_ms`, hides it and the
kiosk goes back to the attract screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Content
from kiosk.i18n import Translator
from kiosk.store import Store
from kiosk.store.repository import current_event
from kiosk.ui.common import button, label
from kiosk.ui.main_window import ACTIVITY_EVENTS
from kiosk.ui.theme import Palette
from kiosk.ui.volunteer.dashboard_page import DashboardPage, SyncStatus
from kiosk.ui.volunteer.event_page import EventPage
from kiosk.ui.volunteer.pin_page import PinPage
from kiosk.ui.volunteer.print_page import PrintPage
from kiosk.ui.volunteer.settings_page import SettingsPage
from kiosk.ui.volunteer.sync_page import SyncPage
from kiosk.volunteer.pin import PinKeeper
from kiosk.volunteer.practice import end_practice, is_practice, start_practice

PANEL_IDLE_MS = 120_000
DASHBOARD_REFRESH_MS = 30_000  # the count moves while volunteers watch
PAGES = ("dashboard", "event", "sync", "print", "settings")
NO_EVENT_REASON = "volunteer.no_event_reason"


class VolunteerPanel(QWidget):
    closed = Signal()
    quit_requested = Signal()
    practice_changed = Signal(bool)
    event_changed = Signal()
    settings_saved = Signal(object)  # KioskSettings

    def __init__(
        self,
        host: QWidget,
        *,
        store: Store,
        content: Content,
        tr: Translator,
        keeper: PinKeeper,
        sync_status: SyncStatus | None,
        palette: Callable[[], Palette],
        idle_ms: int = PANEL_IDLE_MS,
    ):
        super().__init__(host)
        self.setObjectName("volunteerPanel")
        # A plain QWidget subclass paints its stylesheet background only with this.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.host = host
        self.store = store
        self.tr = tr
        self.unlocked = False
        self.practice = False  # shown on the practice button; read when the panel opens

        self.pin_page = PinPage(keeper, tr, self)
        self.pin_page.unlocked.connect(self.on_unlocked)
        self.pin_page.cancelled.connect(self.leave)
        self.pin_page.pin_chosen.connect(self.on_pin_chosen)
        self.dashboard = DashboardPage(
            store, content, tr, sync_status=sync_status, palette=palette, parent=self
        )
        self.event_page = EventPage(store, tr, self)
        self.event_page.changed.connect(self.on_event_changed)
        self.sync_page = SyncPage(store, tr, self)
        self.print_page = PrintPage(store, content, tr, self)
        self.settings_page = SettingsPage(store, tr, self)
        self.settings_page.saved.connect(self.settings_saved)
        self.settings_page.change_pin_requested.connect(self.change_pin)
        self.pages = {
            "dashboard": self.dashboard,
            "event": self.event_page,
            "sync": self.sync_page,
            "print": self.print_page,
            "settings": self.settings_page,
        }
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.pin_page)
        for page in self.pages.values():
            self.stack.addWidget(page)

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
        self.quit_button.clicked.connect(self.quit_requested)
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
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("panelScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.stack)
        layout.addWidget(self.scroll, 1)

        self.refresh_timer = QTimer(self, interval=DASHBOARD_REFRESH_MS)
        self.refresh_timer.timeout.connect(self.on_refresh_tick)
        self.idle_timer = QTimer(self, singleShot=True, interval=idle_ms)
        self.idle_timer.timeout.connect(self.leave)
        host.installEventFilter(self)  # its resizes; input comes from volunteer mode's watch
        self.hide()
        self.retranslate()

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
        self.idle_timer.start()

    def on_unlocked(self) -> None:
        self.unlocked = True
        self.refresh_timer.start()
        self.header.show()
        self.refresh_practice()
        with self.store.session() as session:
            has_event = current_event(session) is not None
        self.show_page("dashboard" if has_event else "event")

    def on_refresh_tick(self) -> None:
        if self.unlocked and self.stack.currentWidget() is self.dashboard:
            self.dashboard.refresh()

    def leave(self) -> None:
        if self.isHidden():
            return
        self.refresh_timer.stop()
        self.idle_timer.stop()
        self.unlocked = False
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
            policy = QSizePolicy.Policy.Preferred if widget is page else QSizePolicy.Policy.Ignored
            widget.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(page)
        self.stack.adjustSize()

    def is_open(self) -> bool:
        return not self.isHidden()

    def current_page(self) -> str:
        current = self.stack.currentWidget()
        if current is self.pin_page:
            return "pin"
        return next(name for name, page in self.pages.items() if page is current)

    # --- actions ----------------------------------------------------------------

    def on_event_changed(self) -> None:
        self.event_changed.emit()

    def change_pin(self) -> None:
        self.header.hide()
        self._show_in_stack(self.pin_page)
        self.pin_page.begin(change=True)

    def on_pin_chosen(self) -> None:
        if self.pin_page.changing:
            self.header.show()
            self.show_page("settings")
            self._say(self.tr("volunteer.pin_changed"))

    def toggle_practice(self) -> None:
        with self.store.session() as session:
            practice = is_practice(session)
            if practice:
                deleted = end_practice(session)
            else:
                start_practice(session)
            session.commit()
        if practice:
            self._say(self.tr.plural("volunteer.practice_ended", deleted, count=deleted))
        else:
            self._say(self.tr("volunteer.practice_started"))
        self.refresh_practice()
        self.practice_changed.emit(not practice)

    def refresh_practice(self) -> None:
        with self.store.session() as session:
            self.practice = is_practice(session)
        self._show_practice()

    def _show_practice(self) -> None:
        practice = self.practice
        key = "volunteer.practice_stop" if practice else "volunteer.practice_start"
        self.practice_button.setText(self.tr(key))
        self.practice_button.setProperty("role", "primary" if practice else "")
        self.practice_button.style().unpolish(self.practice_button)
        self.practice_button.style().polish(self.practice_button)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def on_start_refused(self) -> None:
        self.request_open(NO_EVENT_REASON)

    def on_language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        t = self.tr
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
        self._show_practice()

    # --- idle and geometry ---------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
        elif not self.isHidden() and event.type() in ACTIVITY_EVENTS:
            self.idle_timer.start()
        return False
