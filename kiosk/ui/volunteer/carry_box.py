"""*Spara till USB* on the sync page: a stall that never gets online saves its pending
signatures to a USB stick, for the organiser to import (`klimatavtal-store carry-in`).

A tap on the button lists the mounted USB sticks (kiosk.carry.removable_drives:
/media/$USER and /run/media/$USER) as finger-sized buttons, and *Annan mapp …*
for any other folder. Writing runs on the panel controller's worker; the box
says how many were saved, that they stay here until a sync confirms them, and
when a file was last written. It never touches the store itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.common import button, label
from kiosk.volunteer.controller import PanelController

if TYPE_CHECKING:
    from kiosk.volunteer.panel_jobs import CarryReport

FINGER_HEIGHT = 56  # px: every control here is tapped on a touch screen
PROBLEM_KEYS = {
    "nothing_pending": "sync.carry_nothing_pending",
    "disk_full": "sync.carry_disk_full",
    "read_only": "sync.carry_read_only",
    "no_folder": "sync.carry_no_folder",
}


def _finger_button(name: str, role: str, parent: QWidget) -> QPushButton:
    widget = button(name, role, parent)
    widget.setMinimumHeight(FINGER_HEIGHT)
    return widget


class CarryBox(QWidget):
    def __init__(
        self,
        controller: PanelController,
        words: Translator,
        parent: QWidget | None = None,
        *,
        drive_roots: Iterable[Path] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("carryBox")
        self.controller = controller
        self.words = words
        self.drive_roots = None if drive_roots is None else list(drive_roots)
        # Asks for a folder; a test gives its own instead of the dialog.
        self.choose_folder: Callable[[], str] = self._folder_from_dialog
        self.report: CarryReport | None = None
        self.message = ""  # what the result line says (also what tests read)
        self.busy = False

        self.hint = label("carryHint", "muted", self)
        self.last_label = label("carryLast", "muted", self)
        self.carry_button = _finger_button("carryToUsb", "", self)
        self.carry_button.clicked.connect(self.offer_drives)
        self.other_button = _finger_button("carryOtherFolder", "", self)
        self.other_button.clicked.connect(self.on_other_folder)
        self.other_button.hide()
        self.drive_buttons: list[QPushButton] = []
        self.result_label = label("carryResult", "muted", self)

        self.choices = QHBoxLayout()
        self.choices.addWidget(self.other_button)
        self.choices.addStretch()
        row = QHBoxLayout()
        row.addWidget(self.carry_button)
        row.addWidget(self.last_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addLayout(row)
        layout.addLayout(self.choices)
        layout.addWidget(self.result_label)
        controller.carry_reported.connect(self.on_report)
        controller.failed.connect(self.on_failed)
        self.retranslate()

    def refresh(self) -> None:
        """Ask when a carry file was last written (the page opened)."""
        self.controller.carry(None)

    # --- choosing where ------------------------------------------------------------

    def offer_drives(self) -> None:
        """Show the mounted sticks as buttons (a listing of two folders: instant)."""
        from kiosk.carry import removable_drives  # noqa: PLC0415 - when asked

        for old in self.drive_buttons:
            self.choices.removeWidget(old)
            old.deleteLater()
        self.drive_buttons = []
        for index, drive in enumerate(removable_drives(self.drive_roots)):
            choice = _finger_button("carryDrive", "primary", self)
            choice.setText(drive.name)
            choice.setToolTip(str(drive))
            choice.clicked.connect(lambda _checked=False, d=drive: self.carry_to(str(d)))
            self.choices.insertWidget(index, choice)
            self.drive_buttons.append(choice)
        self.other_button.show()
        self._say(self.words("sync.carry_choose" if self.drive_buttons else "sync.carry_no_drive"))

    def _folder_from_dialog(self) -> str:
        return QFileDialog.getExistingDirectory(self, self.words("sync.carry_folder_title"))

    def on_other_folder(self) -> None:
        folder = self.choose_folder()
        if folder:
            self.carry_to(folder)

    def carry_to(self, folder: str) -> None:
        self._set_busy(True)
        self._say(self.words("sync.carry_saving"))
        self.controller.carry(folder)

    # --- answers -------------------------------------------------------------------

    def on_report(self, report: CarryReport) -> None:
        from kiosk.carry import CarryProblem  # noqa: PLC0415 - loaded with the store

        self.report = report
        outcome = report.outcome
        if outcome is not None:
            self._set_busy(False)
            self._hide_choices()
            t = self.words
            if isinstance(outcome, CarryProblem):
                key = PROBLEM_KEYS.get(outcome.kind)
                self._say(t(key) if key else t("sync.carry_failed", reason=outcome.detail))
            else:
                lines = [
                    t.plural(
                        "sync.carry_saved", outcome.count, count=outcome.count, file=outcome.path
                    )
                ]
                if outcome.left_out:
                    lines.append(
                        t.plural("sync.carry_left_out", outcome.left_out, count=outcome.left_out)
                    )
                if not outcome.signed:
                    lines.append(t("sync.carry_unsigned"))
                self._say("\n".join(lines))
        self.retranslate()

    def on_failed(self, _failure: object) -> None:
        """The store could not be read or written: the panel says why; the buttons come back."""
        if self.busy:
            self._set_busy(False)
            self._say("")

    def _hide_choices(self) -> None:
        for choice in self.drive_buttons:
            choice.hide()
        self.other_button.hide()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.carry_button, self.other_button, *self.drive_buttons):
            widget.setEnabled(not busy)

    def _say(self, text: str) -> None:
        self.message = text
        self.result_label.setText(text)

    # --- text ----------------------------------------------------------------------

    def last_line(self) -> str:
        t = self.words
        last = self.report.last if self.report else None
        if last is None:
            return t("sync.carry_never")
        when = last.at_utc.replace(tzinfo=UTC).astimezone()
        return t.plural("sync.carry_last", last.count, count=last.count, time=when)

    def retranslate(self) -> None:
        t = self.words
        self.hint.setText(t("sync.carry_hint"))
        self.carry_button.setText(t("sync.carry_button"))
        self.other_button.setText(t("sync.carry_other_folder"))
        self.last_label.setText(self.last_line())
