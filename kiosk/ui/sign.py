"""Step 3: sign with a finger, then save; a failed save keeps everything on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from kiosk.flow import PledgeFlow, Step
from kiosk.ui.common import FlowScreen, button, error_label, label, set_texts, show_error
from kiosk.ui.signature_pad import SignaturePad

PAD_MINIMUM_HEIGHT = 180


class SignScreen(FlowScreen):
    def __init__(self, flow: PledgeFlow):
        super().__init__(flow, Step.SIGN, "signScreen")
        self.pad = SignaturePad(self)
        # A signature is drawn as the hand draws it, in any language: never mirrored.
        self.pad.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.pad.setMinimumHeight(PAD_MINIMUM_HEIGHT)
        self.pad.changed.connect(self._on_pad_changed)
        self.clear_button = button("clearButton", "", self)
        self.clear_button.clicked.connect(self.pad.clear)
        self.error_label = error_label("signError", self)
        row = QHBoxLayout()
        row.addWidget(self.error_label, 1)
        row.addStretch()
        row.addWidget(self.clear_button)

        # The save-failed state: plain words for the volunteer and a retry.
        self.alert = QFrame(self)
        self.alert.setObjectName("saveFailedPanel")
        self.alert.setProperty("role", "alert")
        self.alert_title = label("saveFailedTitle", "heading", self.alert)
        self.alert_signer = label("saveFailedSigner", "", self.alert)
        self.alert_detail = label("saveFailedDetail", "muted", self.alert)
        self.retry_button = button("retryButton", "primary", self.alert)
        self.retry_button.clicked.connect(flow.retry_save)
        alert_text = QVBoxLayout()
        alert_text.addWidget(self.alert_title)
        alert_text.addWidget(self.alert_signer)
        alert_text.addWidget(self.alert_detail)
        alert_layout = QHBoxLayout(self.alert)
        alert_layout.setContentsMargins(20, 14, 20, 14)
        alert_layout.setSpacing(20)
        alert_layout.addLayout(alert_text, 1)
        alert_layout.addWidget(self.retry_button)
        self.alert.hide()

        self.body.addWidget(self.alert)
        self.body.addWidget(self.pad, 1)
        self.body.addLayout(row)

        flow.sign_error.connect(lambda message: show_error(self.error_label, message))
        flow.saving.connect(self._on_saving)
        flow.save_failed.connect(self._on_save_failed)
        self.retranslate()

    def submit(self) -> None:
        if not self.flow.is_saving:
            self.flow.submit_signature(self.pad.strokes())

    def _on_pad_changed(self) -> None:
        self.flow.sign_edited()

    def _on_saving(self, saving: bool) -> None:
        for widget in (
            self.next_button,
            self.back_button,
            self.cancel_button,
            self.clear_button,
            self.retry_button,
        ):
            widget.setEnabled(not saving)
        self.pad.setEnabled(not saving and not self.alert.isVisible())
        self.retranslate()

    def _on_save_failed(self, message: str) -> None:
        """Show or hide the failure in the title's place, so the pad keeps its size."""
        failed = bool(message)
        if failed and not self.alert.isVisible():
            self.pad.setMinimumHeight(self.pad.height())  # the drawing stays as drawn
        elif not failed:
            self.pad.setMinimumHeight(PAD_MINIMUM_HEIGHT)
        self.alert_detail.setText(message)
        self.alert.setVisible(failed)
        for widget in (self.title_label, self.hint_label, self.next_button, self.clear_button):
            widget.setVisible(not failed)
        self.pad.setEnabled(not failed and not self.flow.is_saving)

    def retranslate(self) -> None:
        super().retranslate()
        tr = self.flow.words
        self.title_label.setText(tr("sign.title"))
        self.hint_label.setText(tr("sign.hint"))
        self.pad.placeholder = tr("sign.placeholder")
        self.pad.setAccessibleName(tr("sign.pad_accessible"))
        self.pad.update()
        set_texts(self.clear_button, tr("sign.clear"))
        if self.flow.is_saving:
            set_texts(self.next_button, tr("sign.saving"))
            set_texts(self.retry_button, tr("sign.saving"))
        else:
            set_texts(self.next_button, tr("sign.confirm") + "  ✓", tr("sign.confirm"))
            set_texts(self.retry_button, tr("save_error.retry"))
        self.alert_title.setText(tr("save_error.title"))
        self.alert_signer.setText(tr("save_error.signer"))

    def clear(self) -> None:
        self.pad.clear()
        show_error(self.error_label, "")
        self._on_save_failed("")
