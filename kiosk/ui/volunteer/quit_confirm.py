"""The one question before the kiosk shuts down, over the whole panel.

It asks once. With signatures still waiting it says how many and offers
*Skicka nu* first (the answer shows in place: "Skickade 12", or that they
wait here, which is safe: they are sent the next time the kiosk runs with a
network). The count is read by the controller, off the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.common import button, label
from kiosk.ui.volunteer.sync_page import sync_answer_text
from kiosk.ui.volunteer.touch import mark_overlay
from kiosk.volunteer.controller import PanelController

if TYPE_CHECKING:
    from kiosk.volunteer.controller import SyncAnswer


CARD_WIDTH = 820


class QuitConfirm(QFrame):
    """Covers its parent (the panel); `confirmed` means: shut down now."""

    confirmed = Signal()

    def __init__(self, controller: PanelController, words: Translator, parent: QWidget):
        super().__init__(parent)
        self.host = parent  # parentWidget() is typed QWidget | None; this is not
        self.setObjectName("quitConfirm")
        mark_overlay(self)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.controller = controller
        self.words = words
        self.pending: int | None = None  # None until the store has said
        self.answer = ""
        card = QFrame(self)
        card.setObjectName("quitCard")
        card.setProperty("role", "card")
        card.setFixedWidth(CARD_WIDTH)  # a known width: the wrapped text gets its height
        self.title = label("quitTitle", "title", card)
        self.text = label("quitText", parent=card)
        self.answer_label = label("quitAnswer", "heading", card)
        self.send_button = button("quitSendNow", "primary", card)
        self.send_button.clicked.connect(self.send_now)
        self.quit_button = button("quitConfirmButton", parent=card)
        self.quit_button.clicked.connect(self.confirmed)
        self.cancel_button = button("quitCancel", parent=card)
        self.cancel_button.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.send_button)
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.quit_button)
        inside = QVBoxLayout(card)
        inside.setContentsMargins(40, 32, 40, 32)
        inside.setSpacing(16)
        inside.addWidget(self.title)
        inside.addWidget(self.text)
        inside.addWidget(self.answer_label)
        inside.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(card)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addLayout(row)
        layout.addStretch()
        controller.pending_loaded.connect(self.on_pending)
        controller.sync_answered.connect(self.on_sync_answered)
        parent.installEventFilter(self)
        self.hide()

    def ask(self) -> None:
        """Show the question; the waiting count follows from the store."""
        self.pending = None
        self.answer = ""
        self.setGeometry(self.host.rect())
        self.retranslate()
        self.show()
        self.raise_()
        self.controller.load_pending()

    def on_pending(self, pending: int) -> None:
        self.pending = pending
        self.retranslate()

    def send_now(self) -> None:
        self.send_button.setEnabled(False)
        self.answer = self.words("sync.answer_sending")
        self.retranslate()
        self.controller.sync_now()

    def on_sync_answered(self, answer: SyncAnswer) -> None:
        if self.isHidden():
            return
        self.send_button.setEnabled(True)
        self.pending = answer.pending
        self.answer = sync_answer_text(self.words, answer)
        self.retranslate()

    def retranslate(self) -> None:
        t = self.words
        pending = self.pending
        self.title.setText(t("volunteer.quit_title"))
        if pending is None:
            self.text.setText("")
        elif pending:
            self.text.setText(t.plural("volunteer.quit_pending", pending, count=t.number(pending)))
        else:
            self.text.setText(t("volunteer.quit_all_sent"))
        self.send_button.setVisible(bool(pending))
        self.answer_label.setText(self.answer)
        self.answer_label.setVisible(bool(self.answer))
        self.send_button.setText(t("sync.sync_now"))
        self.quit_button.setText(t("volunteer.quit_confirm"))
        self.quit_button.setEnabled(pending is not None)
        self.cancel_button.setText(t("volunteer.quit_cancel"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
        return False
