"""Settings a volunteer may change; saved only when every field is acceptable.

The controller reads, checks (the content file is read) and saves them off
the GUI thread; the page shows what it reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import LANGUAGES
from kiosk.i18n import Translator, language_name
from kiosk.ui.common import button, label
from kiosk.ui.volunteer.touch import Stepper
from kiosk.volunteer.controller import PanelController
from kiosk.volunteer.settings import IDLE_RANGE, THANKS_RANGE, KioskSettings

if TYPE_CHECKING:
    from kiosk.volunteer.panel_jobs import SettingsOutcome, SettingsView

LANGUAGE_NAMES = {lang: language_name(lang) for lang in LANGUAGES}


class SettingsPage(QWidget):
    change_pin_requested = Signal()

    def __init__(
        self, controller: PanelController, words: Translator, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("settingsPage")
        self.controller = controller
        self.words = words
        self.language_boxes = {lang: QCheckBox(LANGUAGE_NAMES[lang], self) for lang in LANGUAGES}
        self.default_language = QComboBox(self)
        self.default_language.setMaximumWidth(360)
        self.default_language.setObjectName("defaultLanguage")
        for lang in LANGUAGES:
            self.default_language.addItem(LANGUAGE_NAMES[lang], lang)
        self.idle_seconds = Stepper(
            minimum=IDLE_RANGE[0], maximum=IDLE_RANGE[1], step=10, parent=self
        )
        self.idle_seconds.setObjectName("idleSeconds")
        self.thanks_seconds = Stepper(
            minimum=THANKS_RANGE[0], maximum=THANKS_RANGE[1], step=5, parent=self
        )
        self.thanks_seconds.setObjectName("thanksSeconds")
        self.content_file = QLineEdit(self)
        self.content_file.setObjectName("contentFile")
        self.printer_name = QLineEdit(self)
        self.printer_name.setObjectName("printerName")
        self.printer_name.setReadOnly(True)  # chosen on the print page
        self.central_store_url = QLineEdit(self)
        self.central_store_url.setObjectName("centralStoreUrl")
        self.central_store_url.setReadOnly(True)  # set by enrolling on the sync page
        self.large_text = QCheckBox(self)
        self.large_text.setObjectName("largeText")
        self.high_contrast = QCheckBox(self)
        self.high_contrast.setObjectName("highContrast")
        self.onscreen_keyboard = QCheckBox(self)
        self.onscreen_keyboard.setObjectName("onscreenKeyboard")
        self.message = label("settingsMessage", "error", self)
        self.note = label("settingsNote", "muted", self)
        self.content_check = label("contentCheck", "muted", self)
        self.content_check.hide()
        self.save_button = button("saveSettings", "primary", self)
        self.save_button.clicked.connect(self.save)
        self.change_pin_button = button("changePin", parent=self)
        self.change_pin_button.clicked.connect(self.change_pin_requested)

        languages = QHBoxLayout()
        languages.setSpacing(24)
        for box in self.language_boxes.values():
            box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # never clipped
            languages.addWidget(box)
        languages.addStretch()
        # Two columns, so the page fits 1366×768 without a second scrollbar.
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.files_form = QFormLayout()
        self.form_labels = {}
        for form, key, field in (
            (self.form, "default_language", self.default_language),
            (self.form, "idle_seconds", self.idle_seconds),
            (self.form, "thanks_seconds", self.thanks_seconds),
            (self.form, "large_text", self.large_text),
            (self.form, "high_contrast", self.high_contrast),
            (self.form, "keyboard", self.onscreen_keyboard),
            (self.files_form, "languages", languages),
            (self.files_form, "content_file", self.content_file),
            (self.files_form, "printer", self.printer_name),
            (self.files_form, "central_store", self.central_store_url),
        ):
            self.form_labels[key] = label(f"{key}Label", parent=self)
            form.addRow(self.form_labels[key], field)
        for form in (self.form, self.files_form):
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            form.setVerticalSpacing(10)
        self.files_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        left = QVBoxLayout()
        left.addLayout(self.form)
        left.addWidget(self.note)
        left.addStretch()
        right = QVBoxLayout()
        right.addLayout(self.files_form)
        right.addWidget(self.content_check)
        right.addStretch()
        columns = QHBoxLayout()
        columns.setSpacing(32)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        # The message sits beside *Spara*, on its own row: it never covers a field.
        keep = self.message.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # the buttons keep their size and place
        self.message.setSizePolicy(keep)
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_pin_button)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)
        self.message.hide()
        controller.settings_loaded.connect(self.show_settings)
        controller.settings_saved.connect(self.on_saved)
        controller.settings_refused.connect(self.on_refused)
        controller.content_checked.connect(self.on_content_checked)

    def retranslate(self) -> None:
        t = self.words
        for key, caption in self.form_labels.items():
            caption.setText(t(f"volunteer.settings_{key}"))
        self.printer_name.setPlaceholderText(t("volunteer.settings_printer_placeholder"))
        self.central_store_url.setPlaceholderText(t("volunteer.settings_central_placeholder"))
        self.content_file.setPlaceholderText(t("volunteer.settings_content_placeholder"))
        self.note.setText(t("volunteer.settings_restart_note"))
        self.save_button.setText(t("volunteer.settings_save"))
        self.change_pin_button.setText(t("volunteer.settings_change_pin"))

    def load(self) -> None:
        """Ask for the stored settings (each time the page is opened)."""
        self.controller.load_settings()

    def show_settings(self, view: SettingsView) -> None:
        settings = view.settings
        for lang, box in self.language_boxes.items():
            box.setChecked(lang in settings.languages)
        self.default_language.setCurrentIndex(LANGUAGES.index(settings.default_language))
        self.idle_seconds.setValue(settings.idle_seconds)
        self.thanks_seconds.setValue(settings.thanks_seconds)
        self.content_file.setText(settings.content_file)
        self.printer_name.setText(settings.printer_name)
        self.central_store_url.setText(view.enrolled_to)
        self.large_text.setChecked(settings.large_text)
        self.high_contrast.setChecked(settings.high_contrast)
        self.onscreen_keyboard.setChecked(settings.onscreen_keyboard)
        self.message.hide()

    def entered(self) -> KioskSettings:
        return KioskSettings(
            languages=tuple(lang for lang, box in self.language_boxes.items() if box.isChecked()),
            default_language=self.default_language.currentData(),
            idle_seconds=self.idle_seconds.value(),
            thanks_seconds=self.thanks_seconds.value(),
            content_file=self.content_file.text(),
            printer_name=self.printer_name.text(),
            central_store_url=self.central_store_url.text(),
            large_text=self.large_text.isChecked(),
            high_contrast=self.high_contrast.isChecked(),
            onscreen_keyboard=self.onscreen_keyboard.isChecked(),
        )

    def save(self) -> None:
        """Checked and saved by the controller; `on_saved` or `on_refused` follows."""
        self.save_button.setEnabled(False)
        self.controller.save_settings(self.entered())

    def on_refused(self, outcome: SettingsOutcome) -> None:
        self.save_button.setEnabled(True)
        self.message.setProperty("role", "error")
        self.message.setText(
            "\n".join(
                self.words(p.key) + (f" ({p.detail})" if p.detail else "") for p in outcome.problems
            )
        )
        self._restyle_message()

    def on_saved(self, settings: KioskSettings) -> None:
        self.save_button.setEnabled(True)
        self.content_file.setText(settings.content_file)
        self.message.setProperty("role", "muted")
        self.message.setText(self.words("volunteer.settings_saved"))
        self._restyle_message()

    def on_content_checked(self, untranslated: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        """Say, per offered language, which texts signers will read in Swedish instead."""
        t = self.words
        lines = [
            t.plural(
                "volunteer.content_untranslated",
                len(places),
                language_name=language_name(language),
                count=t.number(len(places)),
                places="; ".join(places),
            )
            for language, places in untranslated
            if places
        ]
        self.content_check.setText("\n".join(lines) or t("volunteer.content_all_translated"))
        self.content_check.show()

    def _restyle_message(self) -> None:
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()
