"""The panel's own print preview: the pages at a readable size, scrolled by touch.

Qt's QPrintPreviewDialog is a desktop window (tiny icons, 35 % zoom, closed
only by Escape). This overlay covers the kiosk window, shows each page
rendered by pypdfium2 as wide as the screen allows, scrolls with a finger
(QScroller) and has a big close button. Rendering runs off the GUI thread:
`render_pages` makes QImages (safe off it); the overlay turns them into
pixmaps when they arrive.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.common import button, label
from kiosk.ui.volunteer.touch import mark_overlay, touch_scrolling
from kiosk.workers import run_in_background

PAGE_GAP = 24
MAX_PAGE_WIDTH = 1100  # px: wider only makes a flyer's text larger than the paper's
MAX_PAGES = 20  # a summary longer than this is for paper, not for the screen


def render_pages(pdf: bytes, width_px: int) -> list[QImage]:
    """Each page of `pdf` as an image `width_px` wide (runs in a worker)."""
    import pypdfium2 as pdfium  # noqa: PLC0415 - loaded when a preview is asked for

    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            scale = width_px / page.get_width()
            bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBX8888,
            )
            images.append(image.copy())  # own the pixels: the buffer goes with the page
            page.close()
    finally:
        document.close()
    return images


class PreviewOverlay(QFrame):
    """Covers the window; `show_pdf` renders and shows, the close button hides."""

    def __init__(self, words: Translator, window: QWidget):
        super().__init__(window)
        self.setObjectName("printPreview")
        mark_overlay(self)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.words = words
        self.page_count = 0
        self.state = ""  # "rendering", "shown" or "failed"
        self.heading = label("previewHeading", "title", self)
        self.close_button = button("closePreview", "primary", self)
        self.close_button.setMinimumWidth(240)
        self.close_button.clicked.connect(self.hide)
        self.pages = QWidget()
        self.pages.setObjectName("previewPages")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setSpacing(PAGE_GAP)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("previewScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.pages)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        touch_scrolling(self.scroll.viewport())
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        window.installEventFilter(self)
        self.hide()

    def page_width(self) -> int:
        return max(320, min(MAX_PAGE_WIDTH, self.parentWidget().width() - 120))

    def show_pdf(self, pdf: bytes) -> None:
        """Show the overlay at once ("making the preview"), the pages when rendered."""
        self._clear()
        self.state = "rendering"
        self.page_count = 0
        self.setGeometry(self.parentWidget().rect())
        self.retranslate()
        self.show()
        self.raise_()
        ratio = self.devicePixelRatioF()
        width = self.page_width()
        run_in_background(
            lambda: render_pages(pdf, round(width * ratio)),
            lambda images: self._show_pages(images, ratio),
            self._failed,
            parent=self,
        )

    def _show_pages(self, images: list[QImage], ratio: float) -> None:
        self._clear()
        for image in images:
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            page = QLabel(self.pages)
            page.setObjectName("previewPage")
            page.setPixmap(pixmap)
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages_layout.addWidget(page)
        self.page_count = len(images)
        self.state = "shown"
        self.retranslate()

    def _failed(self, error: BaseException) -> None:
        self.state = "failed"
        self.failure = str(error) or type(error).__name__
        self.retranslate()

    def _clear(self) -> None:
        while (item := self.pages_layout.takeAt(0)) is not None:
            if item.widget() is not None:
                item.widget().deleteLater()

    def retranslate(self) -> None:
        t = self.words
        self.close_button.setText(t("print.preview_close"))
        if self.state == "shown":
            self.heading.setText(
                t.plural("print.preview_pages", self.page_count, count=self.page_count)
            )
        elif self.state == "failed":
            self.heading.setText(t("print.preview_failed", reason=self.failure))
        else:
            self.heading.setText(t("print.page_making"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False
