"""In-window questions drawn over the current screen.

Not native dialogs: a dialog could be left open, or hide behind the
fullscreen window, for the next passer-by. These overlays live inside the
kiosk window, follow its size and vanish whenever the flow resets.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.flow import PledgeFlow
from kiosk.i18n import direction, language_name
from kiosk.ui.common import button, label, set_texts

LANGUAGE_BUTTON_HEIGHT = 88  # px: a language is picked by someone who may not read the rest

BACKDROP = QColor(10, 30, 18, 170)


class Overlay(QWidget):
    """Covers its parent with a dimmed backdrop and a centred card."""

    def __init__(self, flow: PledgeFlow, object_name: str, parent: QWidget):
        super().__init__(parent)
        self.flow = flow
        self.setObjectName(object_name)
        self.card = QFrame(self)
        self.card.setObjectName(f"{object_name}Card")
        self.card.setProperty("role", "card")
        self.card.setMaximumWidth(760)
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(40, 32, 40, 32)
        self.card_layout.setSpacing(16)
        outer = QVBoxLayout(self)
        outer.addStretch()
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.card, 3)
        row.addStretch()
        outer.addLayout(row)
        outer.addStretch()
        parent.installEventFilter(self)
        flow.language_changed.connect(lambda _language: self.retranslate())
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._cover_parent()
        return False

    def _cover_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    def popup(self) -> None:
        self._cover_parent()
        self.raise_()
        self.show()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKDROP)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # a tap on the backdrop must not reach the screen below

    def retranslate(self) -> None:
        raise NotImplementedError


class IdleOverlay(Overlay):
    """ "Är du kvar?" with the seconds left; any touch keeps the signer's work."""

    def __init__(self, flow: PledgeFlow, parent: QWidget):
        super().__init__(flow, "idleOverlay", parent)
        self.seconds = 0
        self.title_label = label("idleTitle", "title", self.card)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_label = label("idleCount", "countdown", self.card)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label = label("idleText", "", self.card)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stay_button = button("stayButton", "primary", self.card)
        self.stay_button.clicked.connect(flow.touch)
        self.card_layout.addWidget(self.title_label)
        self.card_layout.addWidget(self.count_label)
        self.card_layout.addWidget(self.text_label)
        self.card_layout.addWidget(self.stay_button)
        flow.idle_countdown.connect(self.on_countdown)
        self.retranslate()

    def on_countdown(self, seconds: int) -> None:
        self.seconds = seconds
        self.retranslate()
        if seconds > 0 and not self.isVisible():
            self.popup()
            self.stay_button.setFocus()
        elif seconds <= 0:
            self.hide()

    def retranslate(self) -> None:
        tr = self.flow.words
        self.title_label.setText(tr("idle.title"))
        self.count_label.setText(str(self.seconds))
        self.text_label.setText(tr.plural("idle.text", self.seconds, seconds=self.seconds))
        set_texts(self.stay_button, tr("idle.stay"))


class CancelOverlay(Overlay):
    """Asks once before throwing away what the signer entered."""

    def __init__(self, flow: PledgeFlow, parent: QWidget):
        super().__init__(flow, "cancelOverlay", parent)
        self.title_label = label("cancelTitle", "title", self.card)
        self.text_label = label("cancelText", "", self.card)
        self.yes_button = button("cancelYesButton", "", self.card)
        self.yes_button.clicked.connect(flow.confirm_cancel)
        self.no_button = button("cancelNoButton", "primary", self.card)
        self.no_button.clicked.connect(flow.keep_going)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.yes_button)
        buttons.addStretch()
        buttons.addWidget(self.no_button)
        self.card_layout.addWidget(self.title_label)
        self.card_layout.addWidget(self.text_label)
        self.card_layout.addSpacing(8)
        self.card_layout.addLayout(buttons)
        flow.cancel_asked.connect(self.on_cancel_asked)
        self.retranslate()

    def on_cancel_asked(self, asking: bool) -> None:
        if asking:
            self.popup()
            self.no_button.setFocus()
        else:
            self.hide()

    def retranslate(self) -> None:
        tr = self.flow.words
        self.title_label.setText(tr("nav.cancel_confirm_title"))
        self.text_label.setText(tr("nav.cancel_confirm_text"))
        set_texts(self.yes_button, tr("nav.cancel_yes"))
        set_texts(self.no_button, tr("nav.cancel_no"))


class LanguagePicker(Overlay):
    """Every offered language as a big button, each named in itself; opened by
    the language button when more than two are offered. A tap on the backdrop
    or the close button keeps the language as it is."""

    COLUMNS = 2

    def __init__(self, flow: PledgeFlow, parent: QWidget):
        super().__init__(flow, "languagePicker", parent)
        self.title_label = label("languagePickerTitle", "title", self.card)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid = QGridLayout()
        self.grid.setSpacing(16)
        self.buttons: dict[str, QPushButton] = {}
        self.close_button = button("languagePickerClose", "", self.card)
        self.close_button.clicked.connect(lambda: flow.choose_language(""))
        self.card_layout.addWidget(self.title_label)
        self.card_layout.addLayout(self.grid)
        self.card_layout.addSpacing(8)
        self.card_layout.addWidget(self.close_button, alignment=Qt.AlignmentFlag.AlignCenter)
        flow.language_choice_asked.connect(self.on_choice_asked)
        flow.languages_offered.connect(lambda _languages: self._build())
        self._build()
        self.retranslate()

    def _build(self) -> None:
        for widget in self.buttons.values():
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.buttons = {}
        for index, language in enumerate(self.flow.offered):
            choice = button(f"language-{language}", "", self.card)
            choice.setCheckable(True)
            choice.setStyleSheet(f"min-height: {LANGUAGE_BUTTON_HEIGHT}px;")
            choice.setText(language_name(language))
            # Each name reads in its own direction, whatever the screen's.
            rtl = direction(language) == "rtl"
            choice.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
            )
            choice.clicked.connect(lambda _checked, lang=language: self.flow.choose_language(lang))
            self.grid.addWidget(choice, index // self.COLUMNS, index % self.COLUMNS)
            self.buttons[language] = choice
        self._mark_current()

    def _mark_current(self) -> None:
        for language, choice in self.buttons.items():
            choice.setChecked(language == self.flow.language)
            choice.setAccessibleName(language_name(language))

    def on_choice_asked(self, asking: bool) -> None:
        if asking:
            self._mark_current()
            self.popup()
        else:
            self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        if not self.card.geometry().contains(event.position().toPoint()):
            self.flow.choose_language("")  # a tap beside the card: nothing changes

    def retranslate(self) -> None:
        tr = self.flow.words
        self.title_label.setText(tr("language.choose"))
        set_texts(self.close_button, "✕  " + tr("language.close"), tr("language.close"))
        self._mark_current()
