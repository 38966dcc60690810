"""The panel's sync page: what waits, what went wrong in plain words, enrolment,
"sync now" and the per-event check.

It never calls the worker or the store: "sync now", "check" and enrolment
(one HTTP request, on the thread pool) go through the panel's controller,
and the worker's reports come back through it. Enrolment takes the code that
`klimatavtal devices add --server URL --qr` prints (a handheld QR scanner
types it like a keyboard), or a server address and token typed by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.common import button, label
from kiosk.ui.sync_link import last_success
from kiosk.ui.volunteer.carry_box import CarryBox
from kiosk.ui.volunteer.keyboard import enter_goes_on
from kiosk.volunteer.controller import PanelController

if TYPE_CHECKING:
    from kiosk.volunteer.controller import SyncAnswer
    from sync.status import EventCheck, SyncStatus


def enrolment_target(code: str, server_url: str, token: str) -> tuple[str, str]:
    """(server URL, token) from the scanned code, else from the two typed fields."""
    from sync.enrolment import parse_enrolment_string  # noqa: PLC0415 - panel only

    if code.strip():
        return parse_enrolment_string(code)
    if not server_url.strip() or not token.strip():
        raise ValueError("nothing to enrol with")
    return server_url.strip(), token.strip()


def enrol_problem_key(error: BaseException) -> str | None:
    """The translated string for why enrolment failed, chosen by the problem's kind."""
    from sync.problems import ProblemKind, SyncError  # noqa: PLC0415 - loaded with the store

    if not isinstance(error, SyncError):
        return None
    if error.problem.kind is ProblemKind.BAD_ADDRESS:
        return "sync.enrol_bad_address"
    return f"sync.error_{error.problem.kind}"


def sync_answer_text(words: Translator, answer: SyncAnswer) -> str:
    """ "Skickade 12", or why the signatures still wait here."""
    count = words.number(answer.pending)
    if answer.kind == "sent":
        if answer.sent == 0 and answer.pending == 0:
            return words("sync.answer_nothing_to_send")
        return words.plural("sync.answer_sent", answer.sent, count=words.number(answer.sent))
    if answer.kind == "not_set_up":
        return words.plural("sync.answer_not_set_up", answer.pending, count=count)
    return words.plural("sync.answer_not_connected", answer.pending, count=count)


class SyncPage(QWidget):
    def __init__(
        self, controller: PanelController, words: Translator, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("syncPage")
        self.controller = controller
        self.words = words
        self.status: SyncStatus | None = None
        self.checks: list[EventCheck] | None = None
        self.check_error = ""
        self.enrol_message = ""
        self.enrol_ok = True

        self.state_label = label("syncState", "heading", self)
        self.pending_label = label("syncPending", parent=self)
        self.last_label = label("syncLast", parent=self)
        self.refused_label = label("syncRefused", parent=self)
        self.error_label = label("syncError", "error", self)
        self.sync_button = button("syncNow", "primary", self)
        self.sync_button.clicked.connect(self.on_sync_now)
        self.answer_label = label("syncAnswer", "heading", self)
        self.answer = ""
        self.check_button = button("checkEvents", parent=self)
        self.check_button.clicked.connect(self.on_check)
        self.checks_label = label("eventChecks", parent=self)
        self.carry_box = CarryBox(controller, words, self)  # Spara till USB

        self.enrol_heading = label("enrolHeading", "title", self)
        self.enrol_hint = label("enrolHint", "muted", self)
        self.code_field = QLineEdit(self)
        self.code_field.setObjectName("enrolCode")
        self.code_field.returnPressed.connect(self.enrol)  # a scanner ends with Enter
        self.server_field = QLineEdit(self)
        self.server_field.setObjectName("enrolServer")
        self.token_field = QLineEdit(self)
        self.token_field.setObjectName("enrolToken")
        self.token_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.enrol_button = button("enrolButton", "primary", self)
        self.enrol_button.clicked.connect(self.enrol)
        enter_goes_on((self.server_field, self.token_field), self.enrol)  # typed, not scanned
        self.enrol_result = label("enrolResult", "muted", self)

        # The row has room for more (a "Spara till USB" button is on its way).
        self.action_row = QHBoxLayout()
        self.action_row.addWidget(self.sync_button)
        self.action_row.addWidget(self.check_button)
        self.action_row.addStretch()
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form_labels = {}
        for key, field in (
            ("code", self.code_field),
            ("server", self.server_field),
            ("token", self.token_field),
        ):
            self.form_labels[key] = label(f"enrol_{key}Label", parent=self)
            self.form.addRow(self.form_labels[key], field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.state_label,
            self.pending_label,
            self.last_label,
            self.refused_label,
            self.error_label,
        ):
            layout.addWidget(widget)
        layout.addLayout(self.action_row)
        layout.addWidget(self.answer_label)
        layout.addWidget(self.checks_label)
        layout.addWidget(self.carry_box)
        layout.addSpacing(16)
        layout.addWidget(self.enrol_heading)
        layout.addWidget(self.enrol_hint)
        layout.addLayout(self.form)
        enrol_row = QHBoxLayout()
        enrol_row.addWidget(self.enrol_button)
        enrol_row.addWidget(self.enrol_result, 1)
        layout.addLayout(enrol_row)
        layout.addStretch()
        controller.sync_status_changed.connect(self.set_status)
        controller.events_checked.connect(self.set_checks)
        controller.check_failed.connect(self.set_check_failed)
        controller.enrolled.connect(self.on_enrolled)
        controller.sync_answered.connect(self.on_sync_answered)
        controller.enrol_failed.connect(self.on_enrol_failed)
        if controller.sync_status is not None:
            self.set_status(controller.sync_status)

    def refresh(self) -> None:
        """Ask for the stored state (the page opened); the worker keeps it current after."""
        self.controller.load_sync_status()
        self.carry_box.refresh()

    # --- reports from the worker -----------------------------------------------

    def set_status(self, status: SyncStatus) -> None:
        self.status = status
        self.retranslate()

    def set_checks(self, checks: list[EventCheck]) -> None:
        self.checks = checks
        self.check_error = ""
        self.check_button.setEnabled(True)
        self.retranslate()

    def set_check_failed(self, message: str) -> None:
        self.checks = None
        self.check_error = message
        self.check_button.setEnabled(True)
        self.retranslate()

    def on_sync_now(self) -> None:
        self.sync_button.setEnabled(False)  # until the answer comes
        self.answer = self.words("sync.answer_sending")
        self.retranslate()
        self.controller.sync_now()

    def on_sync_answered(self, answer: SyncAnswer) -> None:
        """Every tap on "Skicka nu" ends in words: sent, or why they still wait here."""
        self.sync_button.setEnabled(True)
        self.answer = sync_answer_text(self.words, answer)
        self.retranslate()

    def on_check(self) -> None:
        self.check_button.setEnabled(False)
        self.checks = None
        self.check_error = ""
        self.checks_label.setText(self.words("sync.checking"))
        self.controller.check_events()

    # --- enrolment ---------------------------------------------------------------

    def enrol(self) -> None:
        try:
            server_url, token = enrolment_target(
                self.code_field.text(), self.server_field.text(), self.token_field.text()
            )
        except ValueError:
            self._enrol_said(self.words("sync.enrol_bad_code"), ok=False)
            return
        self.enrol_button.setEnabled(False)
        self._enrol_said(self.words("sync.enrolling"), ok=True)
        self.controller.enrol(server_url=server_url, token=token)

    def on_enrol_failed(self, error: BaseException) -> None:
        self.enrol_button.setEnabled(True)
        key = enrol_problem_key(error)
        reason = self.words(key) if key else str(error) or type(error).__name__
        self._enrol_said(self.words("sync.enrol_failed", reason=reason), ok=False)

    def on_enrolled(self, device_name: str) -> None:
        self.enrol_button.setEnabled(True)
        for field in (self.code_field, self.server_field, self.token_field):
            field.clear()
        self._enrol_said(self.words("sync.enrol_done", name=device_name), ok=True)

    def _enrol_said(self, text: str, *, ok: bool) -> None:
        self.enrol_message = text
        self.enrol_ok = ok
        self.enrol_result.setText(text)
        self.enrol_result.setProperty("role", "muted" if ok else "error")
        self.enrol_result.style().unpolish(self.enrol_result)
        self.enrol_result.style().polish(self.enrol_result)

    # --- text ----------------------------------------------------------------------

    def status_lines(self) -> dict[str, str]:
        """The page's words for the current status (also what the tests read)."""
        t = self.words
        status = self.status
        if status is None:
            return {"state": "", "pending": "", "last": "", "refused": "", "error": ""}
        if not status.enrolled:
            state = t("sync.error_not_enrolled")
        elif status.syncing:
            state = t("sync.syncing")
        elif status.pending == 0 and status.last_error is None:
            state = t("sync.all_sent")
        else:
            state = t("sync.state_waiting")
        when = last_success(status)
        return {
            "state": state,
            "pending": t.plural("sync.pending", status.pending, count=status.pending),
            "last": (
                t("sync.last_success", time=when.astimezone()) if when else t("sync.never_sent")
            ),
            "refused": t.plural("sync.refused", status.refused, count=status.refused)
            if status.refused
            else "",
            "error": (
                t(f"sync.error_{status.last_error.kind}")
                if status.enrolled and status.last_error
                else ""
            ),
        }

    def check_lines(self) -> str:
        t = self.words
        if self.check_error:
            return t("sync.check_failed", reason=self.check_error)
        if self.checks is None:
            return ""
        if not self.checks:
            return t("sync.check_no_events")
        lines = []
        for check in self.checks:
            if check.matches:
                lines.append(
                    t(
                        "sync.event_all_received",
                        name=check.name,
                        received=check.received,
                        held=check.held_here,
                    )
                )
            else:
                lines.append(
                    t(
                        "sync.event_missing",
                        name=check.name,
                        received=check.received,
                        held=check.held_here,
                        missing=check.held_here - check.received,
                    )
                )
        return "\n".join(lines)

    def retranslate(self) -> None:
        t = self.words
        self.answer_label.setText(self.answer)
        self.answer_label.setVisible(bool(self.answer))
        lines = self.status_lines()
        self.state_label.setText(lines["state"])
        self.pending_label.setText(lines["pending"])
        self.last_label.setText(lines["last"])
        self.refused_label.setText(lines["refused"])
        self.refused_label.setVisible(bool(lines["refused"]))
        self.error_label.setText(lines["error"])
        self.error_label.setVisible(bool(lines["error"]))
        if self.check_button.isEnabled():
            self.checks_label.setText(self.check_lines())
        self.sync_button.setText(t("sync.sync_now"))
        self.check_button.setText(t("sync.check_events"))
        self.enrol_heading.setText(t("sync.enrol_heading"))
        enrolled_to = self.status.server_url if self.status and self.status.enrolled else None
        self.enrol_hint.setText(
            t("sync.enrolled_to", server=enrolled_to) if enrolled_to else t("sync.enrol_hint")
        )
        for key, caption in self.form_labels.items():
            caption.setText(t(f"sync.enrol_{key}"))
        self.server_field.setPlaceholderText("https://…")
        self.enrol_button.setText(t("sync.enrol"))
        self.carry_box.retranslate()
