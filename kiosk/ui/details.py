"""Step 2: name, optional email and postcode, the opt-ins and consent.

Each opt-in is its own toggle and starts unticked; consent is required and
the privacy text it refers to is on the same screen, scrollable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import LANGUAGES, load_consent
from kiosk.flow import PledgeFlow, Step
from kiosk.pledge import EMAIL_MAX, NAME_MAX
from kiosk.ui.common import (
    FlowScreen,
    ToggleCard,
    error_label,
    label,
    show_error,
    touch_scroll_area,
)

TEXT_FIELDS = ("name", "email", "postcode")
TOGGLES = {  # field name -> strings key
    "lives_or_works_in_helsingborg": "details.lives_in_helsingborg",
    "community_opt_in": "details.community_opt_in",
    "helper_opt_in": "details.helper_opt_in",
    "consent": "details.consent",
}
TOGGLE_OBJECT_NAMES = {
    "lives_or_works_in_helsingborg": "livesToggle",
    "community_opt_in": "communityToggle",
    "helper_opt_in": "helperToggle",
    "consent": "consentToggle",
}


class DetailsScreen(FlowScreen):
    def __init__(self, flow: PledgeFlow):
        super().__init__(flow, Step.DETAILS, "detailsScreen")
        self.consent_texts = {
            language: split_heading(load_consent(language).text) for language in LANGUAGES
        }
        sheet = QWidget()
        sheet.setObjectName("detailsSheet")

        self.field_labels: dict[str, QLabel] = {}
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        limits = {"name": NAME_MAX, "email": EMAIL_MAX, "postcode": 6}
        hints = {
            "name": Qt.InputMethodHint.ImhNoPredictiveText,
            "email": Qt.InputMethodHint.ImhEmailCharactersOnly
            | Qt.InputMethodHint.ImhNoAutoUppercase,
            "postcode": Qt.InputMethodHint.ImhPreferNumbers,
        }
        for name in TEXT_FIELDS:
            field_label = label(f"{name}Label", "field", sheet)
            edit = QLineEdit(sheet)
            edit.setObjectName(f"{name}Edit")
            edit.setMaxLength(limits[name] + 20)  # room to paste and be told it is too long
            edit.setInputMethodHints(hints[name])
            edit.textEdited.connect(lambda _text, field=name: self.flow.details_edited(field))
            field_label.setBuddy(edit)
            self.field_labels[name] = field_label
            self.edits[name] = edit
            self.errors[name] = error_label(f"{name}Error", sheet)

        self.toggles: dict[str, ToggleCard] = {}
        for name in TOGGLES:
            toggle = ToggleCard(TOGGLE_OBJECT_NAMES[name], sheet)
            toggle.toggled.connect(lambda _checked, field=name: self.flow.details_edited(field))
            self.toggles[name] = toggle
        self.errors["consent"] = error_label("consentError", sheet)
        self.privacy_heading = label("privacyHeading", "heading", sheet)
        # The privacy text in full, in the page's one scroll area: a second scrollbar
        # beside the page's own was one too many to drag with a finger.
        self.privacy_text = label("privacyText", "privacy", sheet)
        self.privacy_text.setTextFormat(Qt.TextFormat.MarkdownText)  # our own consent file
        self.privacy_text.setAlignment(Qt.AlignmentFlag.AlignTop)

        # Left: the fields (email and postcode share a row) and the opt-ins.
        # Right: consent, with the text it refers to right below it.
        fields = QGridLayout()
        fields.setHorizontalSpacing(16)
        fields.setVerticalSpacing(4)
        fields.addWidget(self.field_labels["name"], 0, 0, 1, 2)
        fields.addWidget(self.edits["name"], 1, 0, 1, 2)
        fields.addWidget(self.errors["name"], 2, 0, 1, 2)
        fields.setRowMinimumHeight(3, 8)
        for column, name in enumerate(("email", "postcode")):
            fields.addWidget(self.field_labels[name], 4, column)
            fields.addWidget(self.edits[name], 5, column)
            fields.addWidget(self.errors[name], 6, column, Qt.AlignmentFlag.AlignTop)
        self.already_label = label("alreadySigned", "heading", sheet)
        self.already_label.hide()
        fields.addWidget(self.already_label, 7, 0, 1, 2)
        fields.setColumnStretch(0, 3)
        fields.setColumnStretch(1, 2)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addLayout(fields)
        left.addSpacing(6)
        for name in ("lives_or_works_in_helsingborg", "community_opt_in", "helper_opt_in"):
            left.addWidget(self.toggles[name])
        left.addStretch()
        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self.toggles["consent"])
        right.addWidget(self.errors["consent"])
        right.addWidget(self.privacy_heading)
        right.addWidget(self.privacy_text)
        right.addStretch()

        columns = QGridLayout(sheet)
        columns.setContentsMargins(0, 0, 8, 0)
        columns.setHorizontalSpacing(32)
        columns.addLayout(left, 0, 0)
        columns.addLayout(right, 0, 1)
        columns.setColumnStretch(0, 11)
        columns.setColumnStretch(1, 9)
        self.scroll_area = touch_scroll_area("detailsScroll", sheet)
        self.body.addWidget(self.scroll_area, 1)

        order = [
            *self.edits.values(),
            self.toggles["lives_or_works_in_helsingborg"],
            self.toggles["community_opt_in"],
            self.toggles["helper_opt_in"],
            self.toggles["consent"],
            self.next_button,
            self.back_button,
        ]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

        flow.details_errors.connect(self.show_errors)
        flow.already_signed.connect(self.show_already_signed)
        self.retranslate()

    def values(self) -> dict[str, object]:
        fields: dict[str, object] = {name: edit.text() for name, edit in self.edits.items()}
        fields.update({name: toggle.isChecked() for name, toggle in self.toggles.items()})
        return fields

    def submit(self) -> None:
        if not self.flow.submit_details(**self.values()):
            self._focus_first_error()

    def _focus_first_error(self) -> None:
        for name in (*TEXT_FIELDS, "consent"):
            if self.errors[name].text():
                widget = self.edits.get(name) or self.toggles[name]
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                self.scroll_area.ensureWidgetVisible(widget)
                return

    def show_already_signed(self, message: str) -> None:
        self.already_label.setText(message)
        self.already_label.setVisible(bool(message))

    def show_errors(self, messages: dict[str, str]) -> None:
        for name, error in self.errors.items():
            show_error(error, messages.get(name, ""))
        for name, edit in self.edits.items():
            invalid = name in messages
            if edit.property("invalid") != invalid:
                edit.setProperty("invalid", invalid)
                edit.style().unpolish(edit)
                edit.style().polish(edit)

    def retranslate(self) -> None:
        super().retranslate()
        tr = self.flow.words
        self.title_label.setText(tr("details.title"))
        self.hint_label.setText(tr("details.hint"))
        for name, field_label in self.field_labels.items():
            field_label.setText(tr(f"details.{name}"))
            self.edits[name].setAccessibleName(tr(f"details.{name}"))
            self.edits[name].setPlaceholderText(tr(f"details.{name}_placeholder"))
        for name, toggle in self.toggles.items():
            toggle.set_text(tr(TOGGLES[name]))
        heading, body = self.consent_texts[self.flow.language]
        self.privacy_heading.setText(heading or tr("details.privacy_heading"))
        self.privacy_text.setAccessibleName(tr("details.privacy_heading"))
        self.privacy_text.setText(body)

    def clear(self) -> None:
        for edit in self.edits.values():
            edit.clear()
        for toggle in self.toggles.values():
            toggle.setChecked(False)
        self.show_errors({})
        self.scroll_area.verticalScrollBar().setValue(0)


def split_heading(markdown: str) -> tuple[str, str]:
    """The consent text's "# heading" (shown as the section title) and the rest."""
    first, _newline, rest = markdown.lstrip().partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest.strip()
    return "", markdown
