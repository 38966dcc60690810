"""The panel's print page: flyers and summaries, a preview, the printer and copies.

The printer list comes from CUPS (off the GUI thread; `lpstat` may be
slow) and the choice is saved as the kiosk's printer setting, which the
thank-you screen's receipt uses too. Without a printer the PDF is saved in
a folder (a USB stick): `save_to(folder)` is the path without a dialog.
Making and sending a PDF always happens in a PrintJob's worker thread.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import LANGUAGES, Content
from kiosk.documents.flyer import FLYER_LAYOUTS, FlyerOptions, make_flyer
from kiosk.documents.summaries import SummaryError
from kiosk.i18n import Translator
from kiosk.printing import cups
from kiosk.printing.qt_print import MakePdf, PrintJob
from kiosk.ui.common import button, label
from kiosk.ui.volunteer.preview import PreviewOverlay
from kiosk.ui.volunteer.settings_page import LANGUAGE_NAMES
from kiosk.ui.volunteer.touch import DatePicker, Stepper, overlay_host
from kiosk.volunteer.controller import PanelController
from kiosk.workers import run_in_background

if TYPE_CHECKING:
    from kiosk.volunteer.panel_jobs import PrintState

NO_PRINTER = ""
COMBO_WIDTH = 640  # px: a choice, not a text field across the screen


class PrintPage(QWidget):
    printer_chosen = Signal(str)  # "" when none: PDFs are saved to a folder

    def __init__(
        self,
        controller: PanelController,
        content: Content,
        words: Translator,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("printPage")
        self.controller = controller
        self.content = content
        self.words = words
        self.job: PrintJob | None = None
        self.message = ""
        self.event_name: str | None = None
        self._preview: PreviewOverlay | None = None

        self.document = QComboBox(self)
        self.document.setObjectName("printDocument")
        self.document.addItem("", "flyer")
        self.document.addItem("", "summary_event")
        self.document.addItem("", "summary_range")
        self.document.currentIndexChanged.connect(self._show_options)
        self.layout_choice = QComboBox(self)
        self.layout_choice.setObjectName("flyerLayout")
        for size, up in FLYER_LAYOUTS:
            self.layout_choice.addItem(f"{size.upper()} × {up}", f"{size}:{up}")
        self.language = QComboBox(self)
        self.language.setObjectName("printLanguage")
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.tracking = QCheckBox(self)
        self.tracking.setObjectName("flyerTracking")
        self.tracking.setChecked(True)
        today = controller.today()
        self.start_date = DatePicker(words, today - timedelta(days=6), self)
        self.start_date.setObjectName("summaryStart")
        self.end_date = DatePicker(words, today, self)
        self.end_date.setObjectName("summaryEnd")
        self.printer = QComboBox(self)
        self.printer.setObjectName("printerChoice")
        self.printer.activated.connect(self.on_printer_activated)
        self.copies = Stepper(minimum=1, maximum=500, parent=self)
        self.copies.setObjectName("printCopies")
        self.preview_button = button("previewButton", parent=self)
        self.preview_button.clicked.connect(self.preview)
        self.save_button = button("savePdfButton", parent=self)
        self.save_button.clicked.connect(lambda: self.save_to(None))
        self.print_button = button("printButton", "primary", self)
        self.print_button.clicked.connect(self.print_document)
        self.result = label("printResult", "muted", self)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form_labels = {}
        for key, field in (
            ("document", self.document),
            ("layout", self.layout_choice),
            ("language", self.language),
            ("tracking", self.tracking),
            ("start", self.start_date),
            ("end", self.end_date),
            ("printer", self.printer),
            ("copies", self.copies),
        ):
            self.form_labels[key] = label(f"print_{key}Label", parent=self)
            self.form.addRow(self.form_labels[key], field)
        for field in (self.document, self.layout_choice, self.language, self.printer):
            field.setMaximumWidth(COMBO_WIDTH)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch()
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addStretch()
        self._show_options()
        controller.print_state_loaded.connect(self.show_state)
        controller.printer_saved.connect(self.printer_chosen)

    # --- printers ---------------------------------------------------------------------

    def load(self) -> None:
        """The page opened: ask for the current event and the saved printer."""
        self.controller.load_print_state()

    def show_state(self, state: PrintState) -> None:
        """Show the event and the saved printer, then ask CUPS for its list."""
        self.event_name = state.event_name
        chosen = state.printer_name
        self._fill_printers([chosen] if chosen else [], chosen)
        run_in_background(
            lambda: cups.printers() if cups.cups_available() else [],
            lambda queues: self._fill_printers(queues, self.printer_name()),
            lambda _error: None,
            parent=self,
        )
        self.retranslate()

    def _fill_printers(self, queues: list[str], chosen: str) -> None:
        self.printer.clear()
        self.printer.addItem(self.words("print.page_no_printer"), NO_PRINTER)
        for queue in dict.fromkeys([*queues, *([chosen] if chosen else [])]):
            self.printer.addItem(queue, queue)
        self.printer.setCurrentIndex(max(0, self.printer.findData(chosen)))

    def printer_name(self) -> str:
        return self.printer.currentData() or NO_PRINTER

    def on_printer_activated(self, _index: int) -> None:
        self.choose_printer(self.printer_name())

    def choose_printer(self, name: str) -> None:
        """Save the printer as the kiosk's setting (the receipt uses it too)."""
        if self.printer.findData(name) < 0:
            self.printer.addItem(name, name)
        self.printer.setCurrentIndex(self.printer.findData(name))
        self.controller.save_printer(name)  # `printer_chosen` once it is saved

    # --- documents -----------------------------------------------------------------

    def kind(self) -> str:
        return self.document.currentData()

    def maker(self) -> tuple[MakePdf, str]:
        """The function that makes the chosen PDF (run in a worker) and its job title."""
        language = self.language.currentData()
        if self.kind() == "flyer":
            size, up = self.layout_choice.currentData().split(":")
            options = FlyerOptions(
                size=size,
                up=int(up),
                language=language,
                event=self.event_name if self.tracking.isChecked() else None,
                today=self.controller.today(),
            )
            return partial(make_flyer, self.content, options), self.words("print.job_flyer")
        if self.kind() == "summary_event":
            make = self.controller.summary_maker(
                self.content, event_name=self.event_name or "", language=language
            )
        else:
            make = self.controller.summary_maker(
                self.content,
                start=self.start_date.date(),
                end=self.end_date.date(),
                language=language,
            )
        return partial(_in_plain_words, make), self.words("print.job_summary")

    def _job(self, *, to_folder: bool = False) -> PrintJob | None:
        if self.job is not None:  # one at a time
            return None
        make, title = self.maker()
        # "No printers" makes PrintJob save to the folder it is given.
        options = {"printers": list} if to_folder else {}
        job = PrintJob(make, title=title, tr=self.words, parent=self, **options)
        job.progress.connect(self._say)
        job.printed.connect(self._say)
        job.saved.connect(lambda path: self._say(self.words("print.saved_to", path=path)))
        job.failed.connect(lambda text: self._say(text, error=True))
        job.finished.connect(self._on_finished)
        self.job = job
        self._set_busy(True)
        return job

    def print_document(self) -> bool:
        """To the chosen printer without a dialog; with none, save to a folder."""
        name = self.printer_name()
        if not name:
            return self.save_to(None)
        job = self._job()
        if job is None:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(name)
        printer.setCopyCount(self.copies.value())
        return job.start(printer, show_dialog=False)

    def save_to(self, folder: Path | None) -> bool:
        """Save the PDF in `folder`, or in one the volunteer picks (a USB stick)."""
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, self.words("print.page_choose_folder"))
            if not chosen:
                return False
            folder = Path(chosen)
        job = self._job(to_folder=True)
        if job is None:
            return False
        return job.start(show_dialog=False, save_folder=folder)

    def preview(self) -> None:
        """Make the PDF in a worker, then show it in the panel's own preview."""
        make, _title = self.maker()
        self._set_busy(True)
        self._say(self.words("print.page_making"))

        def show(pdf: bytes) -> None:
            self._set_busy(False)
            self._say("")
            self.preview_overlay().show_pdf(pdf)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            message = getattr(error, "message", None)
            text = message(self.words) if callable(message) else str(error)
            self._say(text, error=True)

        run_in_background(make, show, failed, parent=self)

    def preview_overlay(self) -> PreviewOverlay:
        """Made once, over the whole panel (its pages are inside a scroll area)."""
        if self._preview is None:
            self._preview = PreviewOverlay(self.words, overlay_host(self))
        return self._preview

    def _on_finished(self) -> None:
        self.job = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.print_button, self.save_button, self.preview_button):
            widget.setEnabled(not busy)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message = text
        self.result.setText(text)
        self.result.setProperty("role", "error" if error else "muted")
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)

    def _show_options(self) -> None:
        flyer = self.kind() == "flyer"
        ranged = self.kind() == "summary_range"
        for key, visible in (
            ("layout", flyer),
            ("tracking", flyer),
            ("start", ranged),
            ("end", ranged),
        ):
            self.form.setRowVisible(self.form_labels[key], visible)

    def retranslate(self) -> None:
        t = self.words
        for key, caption in self.form_labels.items():
            caption.setText(t(f"print.page_{key}"))
        event = self.event_name or t("volunteer.event_none")
        self.document.setItemText(0, t("print.page_flyer"))
        self.document.setItemText(1, t("print.page_summary_event", name=event))
        self.document.setItemText(2, t("print.page_summary_range"))
        self.tracking.setText(t("print.page_tracking_on"))
        self.printer.setItemText(0, t("print.page_no_printer"))
        self.preview_button.setText(t("print.page_preview"))
        self.save_button.setText(t("print.page_save"))
        self.print_button.setText(t("print.page_print"))
        for field in (self.start_date, self.end_date):
            field.retranslate()
        if self._preview is not None:
            self._preview.retranslate()


def _in_plain_words(make: MakePdf) -> bytes:
    """Run `make`; "nothing to summarise" becomes an error the print worker words."""
    try:
        return make()
    except SummaryError as exc:
        raise cups.PrintError(exc.key.removeprefix("print."), **exc.values) from exc
