"""Choose, start or end the stall's event."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import Translator
from kiosk.store import Store
from kiosk.store.repository import current_event, local_now
from kiosk.ui.common import button, label
from kiosk.volunteer.events import (
    check_event,
    choose_event,
    end_current_event,
    open_events,
    start_event,
)

END_CONFIRM_MS = 5000


class EventPage(QWidget):
    """Emits `changed` whenever the current event changes (chosen, new or ended)."""

    changed = Signal()

    def __init__(self, store: Store, tr: Translator, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("eventPage")
        self.store = store
        self.tr = tr
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
        self.choose_button = button("chooseEvent", parent=self)
        self.choose_button.clicked.connect(self.choose_selected)
        self.new_heading = label("newHeading", "title", self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("eventName")
        self.place_edit = QLineEdit(self)
        self.place_edit.setObjectName("eventPlace")
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("eventDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.volunteers_edit = QLineEdit(self)
        self.volunteers_edit.setObjectName("eventVolunteers")
        self.error = label("eventError", "error", self)
        self.start_button = button("startEvent", "primary", self)
        self.start_button.clicked.connect(self.start_new)

        self.form = QFormLayout()
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
        layout.addLayout(columns, 1)
        self.refresh()

    def retranslate(self) -> None:
        t = self.tr
        self.end_button.setText(
            t("volunteer.event_end_confirm" if self.end_armed else "volunteer.event_end")
        )
        self.choose_heading.setText(t("volunteer.event_choose_heading"))
        self.choose_button.setText(t("volunteer.event_choose"))
        self.new_heading.setText(t("volunteer.event_new_heading"))
        for key, caption in self.form_labels.items():
            caption.setText(t(f"volunteer.event_{key}"))
        self.start_button.setText(t("volunteer.event_start"))
        self._show_current()

    def _show_current(self) -> None:
        current = self.current
        self.current_label.setText(
            self.tr("volunteer.event_current", name=current[0], date=current[1])
            if current
            else self.tr("volunteer.event_none")
        )

    def refresh(self) -> None:
        """Show the current event and the open ones; empty the form for the next."""
        with self.store.session() as session:
            event = current_event(session)
            self.current = (event.name, event.date.isoformat()) if event else None
            events = [(e.id, e.date, e.name, e.place) for e in open_events(session)]
        self._show_current()
        self.end_button.setEnabled(event is not None)
        self.event_list.clear()
        for event_id, day, name, place in events:
            item = QListWidgetItem(f"{day.isoformat()}  {name}" + (f", {place}" if place else ""))
            item.setData(Qt.ItemDataRole.UserRole, event_id)
            self.event_list.addItem(item)
        self.choose_button.setEnabled(bool(events))
        self.error.hide()

    def start_new(self) -> None:
        name, place = self.name_edit.text(), self.place_edit.text()
        volunteers = self.volunteers_edit.text()
        errors = check_event(name, place, volunteers)
        if errors:
            self.error.setText(" ".join(self.tr(key) for key in dict.fromkeys(errors.values())))
            self.error.show()
            return
        with self.store.session() as session:
            start_event(
                session,
                name=name,
                place=place,
                volunteers=volunteers,
                event_date=self.date_edit.date().toPython(),
            )
            session.commit()
        self.clear_form()
        self.refresh()
        self.changed.emit()

    def clear_form(self) -> None:
        for edit in (self.name_edit, self.place_edit, self.volunteers_edit):
            edit.clear()
        self.date_edit.setDate(QDate(local_now().date()))

    def choose_selected(self) -> None:
        item = self.event_list.currentItem() or self.event_list.item(0)
        if item is None:
            return
        with self.store.session() as session:
            choose_event(session, item.data(Qt.ItemDataRole.UserRole))
            session.commit()
        self.refresh()
        self.changed.emit()

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
        with self.store.session() as session:
            end_current_event(session)
            session.commit()
        self.refresh()
        self.changed.emit()
