"""The thank-you screen: what they committed to, the community QR, the next steps.

It returns to the attract screen by itself (the flow's thanks timer).
`receipt_requested` is the hook for printing: the receipt button stays
hidden until something is connected to it (see `enable_receipt`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.content import Content
from kiosk.flow import PledgeFlow, Step
from kiosk.ui.common import (
    LanguageButton,
    Screen,
    button,
    escape_markup,
    label,
    set_texts,
    touch_scroll_area,
)
from kiosk.ui.qr import qr_image
from kiosk.workers import run_in_background
from sync.privacy.withdrawal import display_code, withdrawal_page, withdrawal_url

QR_SIZE = 260
# The withdrawal QR: at least 2.5 cm on a 15" laptop (~140 px at 1366x768), a
# fifth of the screen's height on bigger screens, so a phone reads it at arm's length.
WITHDRAW_QR_MIN = 150
# The staircase's first steps only: signing (done) and the next two. The rest
# (a board role) is for the flyer and the website; on a laptop the screen holds
# no more without scrolling.
THANKS_STEPS = 3
WITHDRAW_QR_SHARE = 0.2
LONG_NAME = 22  # characters; a longer name gets the smaller title so the rest still fits
FSI, PDI = "\u2068", "\u2069"  # isolate the name: an Arabic name must not reorder "Tack, …!"
WORD_JOINER = "\u2060"  # no line break here


def isolate(text: str) -> str:
    return f"{FSI}{text}{PDI}"


def first_name(name: str) -> str:
    """The first word of the name: the queue behind need not read the whole of it."""
    words = name.split()
    return words[0] if words else ""


def unbreakable(url: str) -> str:
    """`url` (or a code) with a word joiner after every character a line may break
    at ("/", "-", …): it wraps as a whole or not at all."""
    return "".join(char + WORD_JOINER if char in "/-?.&=_" else char for char in url).rstrip(
        WORD_JOINER
    )


class ThanksScreen(Screen):
    receipt_requested = Signal()  # printing connects here; see enable_receipt()

    def __init__(
        self,
        flow: PledgeFlow,
        content: Content,
        *,
        store_url: Callable[[], str | None] = lambda: None,
        signer_number: Callable[[], int | None] = lambda: None,
    ):
        super().__init__(flow, "thanksScreen")
        self.content = content
        self.store_url = store_url  # the enrolled central store, which takes withdrawals
        # The live total after this signature was saved: "Du är nummer 561!"
        self.signer_number = signer_number
        self.language_button = LanguageButton(flow, self)
        self.title_label = label("thanksTitle", "call", self)
        self.number_label = label("signerNumber", "goal", self)
        self.committed_heading = label("committedHeading", "heading", self)
        self.committed_label = label("committedList", "", self)
        self.staircase_heading = label("staircaseHeading", "heading", self)
        self.staircase_labels: list[QLabel] = []

        sheet = QWidget()
        sheet.setObjectName("thanksSheet")
        column = QVBoxLayout(sheet)
        column.setContentsMargins(0, 0, 8, 0)
        column.addWidget(self.committed_heading)
        column.addWidget(self.committed_label)
        column.addSpacing(16)
        column.addWidget(self.staircase_heading)
        for step in content.staircase[:THANKS_STEPS]:
            step_label = label(f"staircaseStep{step.step}", "", sheet)
            step_label.setTextFormat(Qt.TextFormat.RichText)  # our own content, escaped below
            self.staircase_labels.append(step_label)
            column.addWidget(step_label)
        column.addStretch()
        # Withdrawal, as easy as giving: the code and a small QR code of the website's
        # withdrawal page with the code filled in (sync/privacy/withdrawal.py). It sits
        # in the bottom row, beside "Klar", so it is always in view, never scrolled away.
        self.withdraw_label = label("withdrawText", "muted", self)
        self.withdraw_qr = QLabel(self)
        self.withdraw_qr.setObjectName("withdrawQr")
        self.withdraw_qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = touch_scroll_area("thanksScroll", sheet)

        self.qr_label = QLabel(self)
        self.qr_label.setObjectName("qrCode")
        self.qr_label.setProperty("role", "qr")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setMinimumSize(QR_SIZE, QR_SIZE)
        # Drawn on a worker thread: qrcode is slow to load and start-up should not wait.
        run_in_background(self._make_qr, self._show_qr, lambda _error: None, parent=self)
        self.qr_caption = label("qrCaption", "heading", self)
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_url = label("qrUrl", "muted", self)
        self.qr_url.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_url.setText(content.campaign.community_url.removeprefix("https://"))
        qr_column = QVBoxLayout()
        qr_column.addStretch()
        qr_column.addWidget(self.qr_label, alignment=Qt.AlignmentFlag.AlignCenter)
        qr_column.addWidget(self.qr_caption)
        qr_column.addWidget(self.qr_url)
        qr_column.addStretch()

        self.receipt_button = button("receiptButton", "", self)
        self.receipt_button.clicked.connect(self.receipt_requested)
        self.receipt_button.hide()
        self.receipt_status = label("receiptStatus", "muted", self)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.receipt_status.setAlignment(right)
        self.done_button = button("doneButton", "primary", self)
        self.done_button.clicked.connect(flow.reset)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title_label)
        titles.addWidget(self.number_label)
        top.addLayout(titles, 1)
        top.addWidget(self.language_button, alignment=Qt.AlignmentFlag.AlignTop)
        middle = QHBoxLayout()
        middle.setSpacing(40)
        middle.addWidget(scroll, 3)
        middle.addLayout(qr_column, 2)
        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        bottom.addWidget(self.withdraw_qr)
        bottom.addWidget(self.withdraw_label, 1)
        bottom.addWidget(self.receipt_status)
        bottom.addWidget(self.receipt_button, alignment=Qt.AlignmentFlag.AlignBottom)
        bottom.addWidget(self.done_button, alignment=Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)

        flow.step_changed.connect(self._on_step_changed)
        self.retranslate()

    def _make_qr(self) -> QImage:
        return qr_image(self.content.campaign.community_url, QR_SIZE)

    def _show_qr(self, image: QImage) -> None:
        self.qr_label.setPixmap(QPixmap.fromImage(image))

    def enable_receipt(self, enabled: bool = True) -> None:
        """Show the "print receipt" button; call once printing is wired to the signal."""
        self.receipt_button.setVisible(enabled)
        self.receipt_button.setEnabled(True)

    def show_receipt_status(self, text: str) -> None:
        """A short, calm word about the receipt ("Skriver ut …", "Klart")."""
        self.receipt_status.setText(text)

    def _on_step_changed(self, step: str) -> None:
        self.receipt_status.clear()
        if step == Step.THANKS:
            if self.qr_label.pixmap().isNull():  # the worker has not finished yet
                self._show_qr(self._make_qr())
            self.retranslate()

    def retranslate(self) -> None:
        tr = self.flow.words
        language = self.flow.language
        pledge = self.flow.last_saved
        name = first_name(pledge.details.name) if pledge else ""
        self.title_label.setText(tr("thanks.title", name=isolate(name)))
        number = None if pledge is None or self.flow.is_practice() else self.signer_number()
        if number:
            self.number_label.setText(tr("thanks.signer_number", number=number))
        self.number_label.setVisible(bool(number))
        role = "title" if len(name) > LONG_NAME else "call"
        if self.title_label.property("role") != role:
            self.title_label.setProperty("role", role)
            self.title_label.style().unpolish(self.title_label)
            self.title_label.style().polish(self.title_label)
        self.committed_heading.setText(tr("thanks.committed"))
        commitments = pledge.commitments if pledge else ()
        self.committed_label.setText(
            "\n".join(f"✓  {self.content.commitment_text(cid, language)}" for cid in commitments)
        )
        self.staircase_heading.setText(tr("thanks.staircase_heading"))
        steps = self.content.staircase[:THANKS_STEPS]
        for step_label, step in zip(self.staircase_labels, steps, strict=True):
            marker = "✓" if step.step == 1 else str(step.step)
            step_label.setText(
                f"<b>{marker}&nbsp;&nbsp;{escape_markup(step.title(language))}</b>"
                f" — {escape_markup(step.text(language))}"
            )
        code = self.flow.withdrawal_code()
        if code:
            url = withdrawal_url(self.withdrawal_page(), code)
            self.withdraw_label.setText(
                tr(
                    "thanks.withdraw",
                    code=unbreakable(display_code(code)),
                    url=isolate(unbreakable(url.split("?")[0])),
                )
            )
            size = max(WITHDRAW_QR_MIN, round(self.height() * WITHDRAW_QR_SHARE))
            image = qr_image(url, size)
            self.withdraw_qr.setFixedSize(image.size())
            self.withdraw_qr.setPixmap(QPixmap.fromImage(image))
            self.withdraw_qr.setAccessibleName(display_code(code))
        self.withdraw_label.setVisible(bool(code))
        self.withdraw_qr.setVisible(bool(code))
        self.qr_caption.setText(tr("thanks.qr_caption"))
        self.qr_label.setAccessibleName(tr("thanks.qr_caption"))
        set_texts(self.done_button, tr("thanks.done"))
        set_texts(self.receipt_button, tr("thanks.receipt"))

    def withdrawal_page(self) -> str:
        campaign = self.content.campaign
        return withdrawal_page(campaign.withdrawal_url, self.store_url(), campaign.website_url)

    def clear(self) -> None:
        self.receipt_status.clear()
        self.title_label.clear()
        self.number_label.clear()
        self.committed_label.clear()
        self.withdraw_label.clear()
        self.withdraw_qr.clear()
