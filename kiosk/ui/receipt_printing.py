"""The thank-you screen's receipt: made from the pledge in memory, printed off the GUI thread.

The button shows only when a printer is chosen (the print page saves it
as the printer setting) and never for a practice signature: a passer-by
cannot take a file home, so there is no save-to-folder for receipts at
the stall. (`save_folder` exists for tests and for a kiosk without CUPS
whose organisers want the PDFs; it is not offered to signers.)

The receipt is printed to the chosen queue without a dialog. What the
screen says is short and calm; the idle reset clears it with the rest, and
the PDF itself only ever lives in the worker (CUPS gets a temporary file).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.content import Content
from kiosk.flow import PledgeFlow, Step
from kiosk.printing.qt_print import PrintJob
from kiosk.ui.thanks import ThanksScreen

RECEIPT_SIZE = "a6"  # fits any printer's smallest tray; 80 mm rolls print it scaled


class ReceiptPrinter(QObject):
    def __init__(
        self,
        flow: PledgeFlow,
        thanks: ThanksScreen,
        content: Content,
        *,
        printer_name: Callable[[], str],
        is_practice: Callable[[], bool],
        event_name: Callable[[], str | None],
        save_folder: Path | None = None,
    ):
        super().__init__(thanks)
        self.flow = flow
        self.thanks = thanks
        self.content = content
        self.printer_name = printer_name
        self.is_practice = is_practice
        self.event_name = event_name
        self.save_folder = save_folder
        self.job: PrintJob | None = None
        self.worker_threads: list[object] = []  # which thread made each PDF (tests)
        thanks.receipt_requested.connect(self.print_receipt)
        flow.step_changed.connect(self.on_step_changed)

    def available(self) -> bool:
        if self.flow.last_saved is None or self.is_practice():
            return False
        return bool(self.printer_name()) or self.save_folder is not None

    def on_step_changed(self, step: str) -> None:
        if step == Step.THANKS:
            self.thanks.enable_receipt(self.available())

    def print_receipt(self) -> bool:
        """Start printing this signer's receipt; False when there is nothing to print."""
        pledge = self.flow.last_saved
        if pledge is None or self.job is not None or not self.available():
            return False
        tr = self.flow.words
        make = partial(
            self._make,
            name=pledge.details.name,
            commitments=tuple(pledge.commitments),
            language=self.flow.language,
            event=self.event_name(),
            withdrawal_code=self.flow.withdrawal_code(),
            withdrawal_at=self.thanks.withdrawal_page(),
        )
        name = self.printer_name()
        # No printer: "no printers" makes PrintJob save to the folder.
        printers: Callable[[], Sequence[object]] = QPrinterInfo.availablePrinters if name else list
        # The thank-you screen, not self: the job's dialogs want a widget parent.
        job = PrintJob(
            make, title=tr("print.job_receipt"), tr=tr, parent=self.thanks, printers=printers
        )
        job.progress.connect(lambda _text: self._say("receipt.printing"))
        job.printed.connect(lambda _text: self._say("receipt.printed"))
        job.saved.connect(lambda _path: self._say("receipt.printed"))
        job.failed.connect(lambda _text: self._say("receipt.failed"))
        job.finished.connect(self._on_finished)
        self.job = job
        self.thanks.receipt_button.setEnabled(False)
        if name:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPrinterName(name)
            return job.start(printer, show_dialog=False)
        return job.start(show_dialog=False, save_folder=self.save_folder)

    def _make(
        self,
        *,
        name: str,
        commitments: tuple[str, ...],
        language: str,
        event: str | None,
        withdrawal_code: str | None,
        withdrawal_at: str,
    ) -> bytes:
        import threading  # noqa: PLC0415

        from kiosk.documents.receipt import make_receipt  # noqa: PLC0415 - reportlab, in the worker

        self.worker_threads.append(threading.current_thread())
        return make_receipt(
            self.content,
            name=name,
            signed_on=date.today(),
            commitments=commitments,
            language=language,
            size=RECEIPT_SIZE,
            event=event,
            withdrawal_code=withdrawal_code,
            withdrawal_at=withdrawal_at,
        )

    def _say(self, key: str) -> None:
        if self.flow.step == Step.THANKS:  # after an idle reset nothing is shown
            self.thanks.show_receipt_status(self.flow.words(key))

    def _on_finished(self) -> None:
        self.job = None
        self.thanks.receipt_button.setEnabled(True)
