"""Choose, start or end the stall's event (through the panel's controller)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import Translator
from kiosk.ui.common import button, label
from kiosk.ui.theme import MIN_TOUCH_TARGET
from kiosk.ui.volunteer.keyboard import enter_goes_on
from kiosk.ui.volunteer.touch import DatePicker, touch_scrolling
from kiosk.volunteer.controller import PanelController

if TYPE_CHECKING:
    from kiosk.volunteer.panel_jobs import EventChoice, EventsView

END_CONFIRM_MS = 5000
EVENT_ROW_HEIGHT = 64  # a row is a finger's target


class EventPage(QWidget):
    """Shows the controller's `events_loaded`; asks it to start, choose or end."""

    def __init__(
        self, controller: PanelController, words: Translator, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("eventPage")
        self.controller = controller
        self.words = words
        self.current_label = label("currentEvent", "goal", self)
        self.end_button = button("endEvent", parent=self)
        self.end_button.clicked.connect(self.on_end_clicked)
        self.current: tuple[str, str] | None = None  # (name, date) of the current event
        self.end_armed = False  # ending takes two taps: an ended event cannot be chosen again
        self._disarm_timer = QTimer(self, singleShot=True, interval=END_CONFIRM_MS)
        self._disarm_timer.timeout.connect(self.disarm_end)
        self.choose_heading = label("chooseHeading", "title", self)
        self.event_list = QListWidget(self)
        self.event_list.setObjectName("eventList")
        self.event_list.setSpacing(4)
        self.event_list.setWordWrap(True)
        self.event_list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        touch_scrolling(self.event_list.viewport())
        self.choose_button = button("chooseEvent", parent=self)
        self.choose_button.clicked.connect(self.choose_selected)
        # The campaign's calendar (the console), as the last sync brought it.
        self.planned_heading = label("plannedHeading", "title", self)
        self.planned_row = QHBoxLayout()
        self.planned_buttons: list[QPushButton] = []
        self.new_heading = label("newHeading", "title", self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("eventName")
        self.place_edit = QLineEdit(self)
        self.place_edit.setObjectName("eventPlace")
        self.date_edit = DatePicker(words, controller.today(), self)
        self.date_edit.setObjectName("eventDate")
        self.volunteers_edit = QLineEdit(self)
        self.volunteers_edit.setObjectName("eventVolunteers")
        self.error = label("eventError", "error", self)
        self.start_button = button("startEvent", "primary", self)
        self.start_button.clicked.connect(self.start_new)
        self.text_fields = (self.name_edit, self.place_edit, self.volunteers_edit)
        enter_goes_on(self.text_fields, self.start_new)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form_labels = {}
        for key, edit in (
            ("name", self.name_edit),
            ("place", self.place_edit),
            ("date", self.date_edit),
            ("volunteers", self.volunteers_edit),
        ):
            self.form_labels[key] = label(f"{key}Label", parent=self)
            self.form_labels[key].setBuddy(edit)
            self.form.addRow(self.form_labels[key], edit)
        current_row = QHBoxLayout()
        current_row.addWidget(self.current_label, 1)
        current_row.addWidget(self.end_button)
        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose_heading, 1)
        choose_row.addWidget(self.choose_button)
        left = QVBoxLayout()
        left.addLayout(choose_row)
        left.addWidget(self.event_list, 1)
        right = QVBoxLayout()
        right.addWidget(self.new_heading)
        right.addLayout(self.form)
        right.addWidget(self.error)
        right.addWidget(self.start_button)
        right.addStretch()
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(32)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(current_row)
        layout.addWidget(self.planned_heading)
        layout.addLayout(self.planned_row)
        layout.addLayout(columns, 1)
        self.planned_heading.hide()
        self.end_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.error.hide()
        controller.events_loaded.connect(self.show_events)
        controller.event_refused.connect(self.show_errors)
        controller.event_changed.connect(self.on_event_changed)
        self._starting = False  # a new event was asked for: its form empties once it exists

    def retranslate(self) -> None:
        t = self.words
        self.end_button.setText(
            t("volunteer.event_end_confirm" if self.end_armed else "volunteer.event_end")
        )
        self.choose_heading.setText(t("volunteer.event_choose_heading"))
        self.planned_heading.setText(t("volunteer.event_planned_heading"))
        self.choose_button.setText(t("volunteer.event_choose"))
        self.new_heading.setText(t("volunteer.event_new_heading"))
        for key, caption in self.form_labels.items():
            caption.setText(t(f"volunteer.event_{key}"))
        self.start_button.setText(t("volunteer.event_start"))
        self.date_edit.retranslate()
        self._show_current()

    def _show_current(self) -> None:
        current = self.current
        self.current_label.setText(
            self.words("volunteer.event_current", name=current[0], date=current[1])
            if current
            else self.words("volunteer.event_none")
        )

    def refresh(self) -> None:
        """Ask for the current event and the open ones (the page opened)."""
        self.controller.load_events()

    def show_events(self, view: EventsView) -> None:
        self.current = view.current
        self._show_current()
        self.end_button.setEnabled(view.current is not None)
        self.event_list.clear()
        for event in view.open:
            place = f", {event.place}" if event.place else ""
            item = QListWidgetItem(f"{event.date.isoformat()}  {event.name}{place}")
            item.setData(Qt.ItemDataRole.UserRole, event.id)
            item.setSizeHint(QSize(0, EVENT_ROW_HEIGHT))
            self.event_list.addItem(item)
        self.choose_button.setEnabled(bool(view.open))
        self._show_planned(view.planned)
        self.error.hide()

    def _show_planned(self, planned: tuple[EventChoice, ...]) -> None:
        """One big button per coming calendar event: a tap starts it, nothing to type."""
        for old in self.planned_buttons:
            self.planned_row.removeWidget(old)
            old.deleteLater()
        self.planned_buttons = []
        for choice in planned:
            place = f" · {choice.place}" if choice.place else ""
            when = self.words.day_month(choice.date)
            start = button(f"planned-{choice.id}", "primary", self)
            start.setMinimumHeight(MIN_TOUCH_TARGET)  # never squeezed by the page below
            start.setText(f"{choice.name}{place} · {when}")
            start.setAccessibleName(self.words("volunteer.event_planned_start", name=choice.name))
            start.clicked.connect(lambda _checked=False, c=choice: self.controller.start_planned(c))
            self.planned_row.addWidget(start)
            self.planned_buttons.append(start)
        self.planned_heading.setVisible(bool(planned))

    def start_new(self) -> None:
        """The controller checks the fields and starts the event, or says what is wrong."""
        self._starting = True
        self.controller.start_event(
            name=self.name_edit.text(),
            place=self.place_edit.text(),
            volunteers=self.volunteers_edit.text(),
            event_date=self.date_edit.date(),
        )

    def on_event_changed(self) -> None:
        if self._starting:
            self._starting = False
            self.clear_form()
            focused = self.focusWidget()
            if focused in self.text_fields:
                focused.clearFocus()  # nothing left to type: the on-screen keyboard goes

    def show_errors(self, errors: dict[str, str]) -> None:
        self._starting = False
        self.error.setText(" ".join(self.words(key) for key in dict.fromkeys(errors.values())))
        self.error.show()

    def clear_form(self) -> None:
        for edit in self.text_fields:
            edit.clear()
        self.date_edit.setDate(self.controller.today())

    def choose_selected(self) -> None:
        if self.event_list.count() == 0:  # (the stubs type item() as never None)
            return
        item = self.event_list.currentItem() or self.event_list.item(0)
        self.controller.choose_event(item.data(Qt.ItemDataRole.UserRole))

    def on_end_clicked(self) -> None:
        if self.end_armed:
            self.end_event()
        else:
            self.end_armed = True
            self._disarm_timer.start()
            self.retranslate()

    def disarm_end(self) -> None:
        self.end_armed = False
        self._disarm_timer.stop()
        self.retranslate()

    def end_event(self) -> None:
        self.disarm_end()
        self.end_button.setEnabled(False)  # until the store says it has ended
        self.controller.end_event()
