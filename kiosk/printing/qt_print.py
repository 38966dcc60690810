"""Printing from the kiosk: printer choice, preview, and a worker thread.

Like Frescobaldi's `print(printer=None, showDialog=True)`, the printer is
injectable and the dialog optional, so a test prints without a dialog. The
document is made and sent in a QThread worker that reports by signals; the
GUI thread only shows dialogs.

Where the PDF goes, by the QPrinter chosen:
- "print to file" (PdfFormat): the PDF is written there unchanged;
- a CUPS queue: the PDF goes to CUPS unchanged (vector), see kiosk.printing.cups;
- any other native printer (no CUPS): its pages are rendered with PDFium
  at the printer's resolution and painted on the QPrinter;
- no printer at all: the PDF is saved in a folder the volunteer chooses.

A screen wires it like this (the receipt on the thank-you screen; no dialog
for the signer, so it goes to the default printer):

    make = partial(make_receipt, content, name=pledge.details.name,
                   signed_on=date.today(), commitments=pledge.commitments,
                   language=tr.language, size="80mm", event=event.name)
    job = PrintJob(make, title=tr("print.job_receipt"), tr=tr, parent=self)
    job.printed.connect(self.on_printed)  # str: a message to show
    job.failed.connect(self.on_print_failed)  # str: a message to show
    job.start(show_dialog=False)

The volunteer panel passes `partial(make_flyer, content, FlyerOptions(...))`
or `partial(build_summary, store, content, event_name=...)` and keeps the
dialog, so printer, copies and paper can be chosen.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QThread, Signal, Slot
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import (
    QPrintDialog,
    QPrinter,
    QPrinterInfo,
)
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from kiosk.documents.output import write_atomically
from kiosk.i18n import Translator
from kiosk.printing import cups

MakePdf = Callable[[], bytes]


@dataclass(frozen=True)
class Destination:
    """Where a finished PDF goes; built in the GUI thread, used in the worker."""

    printer_name: str | None = None  # a CUPS queue
    output_file: Path | None = None  # QPrinter's "print to file"
    folder: Path | None = None  # no printer: save here
    copies: int = 1
    media: str | None = None  # CUPS media keyword, e.g. "A6"
    native: QPrinter | None = None  # a non-CUPS printer to paint on


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Render each page with PDFium and paint it on `printer`; return the page count.

    Works on any QPaintDevice printer (and in the preview dialog); a QPainter
    on a QPrinter may be used outside the GUI thread.
    """
    import pypdfium2  # noqa: PLC0415 - only needed without CUPS and for previews

    document = pypdfium2.PdfDocument(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        raise cups.PrintError("error_other", detail="the printer could not be opened")
    try:
        dpi = max(150, min(printer.resolution(), 300))
        for index in range(len(document)):
            if index:
                printer.newPage()
            page = document[index]
            bitmap = page.render(scale=dpi / 72, grayscale=False)
            image = bitmap.to_pil().convert("RGB")
            data = image.tobytes()
            qimage = QImage(
                data, image.width, image.height, image.width * 3, QImage.Format.Format_RGB888
            )
            target = painter.viewport()
            scale = min(target.width() / image.width, target.height() / image.height)
            painter.drawImage(
                QRectF(0, 0, image.width * scale, image.height * scale), qimage.copy()
            )
        return len(document)
    finally:
        painter.end()
        document.close()


class PrintWorker(QObject):
    """Makes the PDF and sends it to its destination, off the GUI thread."""

    progress = Signal(str)
    printed = Signal(str)  # a message for the volunteer
    saved = Signal(str)  # the saved file's path
    failed = Signal(str)  # a message for the volunteer
    finished = Signal()

    def __init__(self, make: MakePdf, destination: Destination, title: str, tr: Translator):
        super().__init__()
        self._make = make
        self._destination = destination
        self._title = title
        self._tr = tr

    @Slot()
    def run(self) -> None:
        try:
            self._run()
        except cups.PrintError as exc:
            self.failed.emit(exc.message(self._tr))
        except OSError as exc:
            self.failed.emit(
                self._tr("print.error_cannot_write", path=exc.filename or "", reason=exc.strerror)
            )
        except Exception as exc:
            self.failed.emit(self._tr("print.error_other", detail=type(exc).__name__))
        finally:
            self.finished.emit()

    def _run(self) -> None:
        self.progress.emit(self._tr("print.printing"))
        pdf = self._make()
        target = self._destination
        if target.output_file is not None:
            write_atomically(target.output_file, pdf)
            self.saved.emit(str(target.output_file))
        elif target.folder is not None:
            path = unique_path(target.folder, self._title)
            write_atomically(path, pdf)
            self.saved.emit(str(path))
        elif target.printer_name is not None:
            with tempfile.TemporaryDirectory(prefix="klimatavtal-print-") as folder:
                path = Path(folder) / f"{safe_name(self._title)}.pdf"
                path.write_bytes(pdf)
                outcome = cups.print_pdf(
                    path,
                    printer=target.printer_name,
                    copies=target.copies,
                    title=self._title,
                    media=target.media,
                )
            done = "print.printed" if outcome.completed else "print.sent"
            self.printed.emit(self._tr(done, printer=outcome.printer))
        elif target.native is not None:
            target.native.setCopyCount(target.copies)
            paint_pdf(pdf, target.native)
            self.printed.emit(self._tr("print.sent", printer=target.native.printerName()))


def safe_name(title: str) -> str:
    kept = "".join(c if c.isalnum() or c in "-_ " else "-" for c in title).strip()
    return "-".join(kept.split()) or "klimatavtal"


def unique_path(folder: Path, title: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{safe_name(title)}-{stamp}.pdf"
    counter = 2
    while path.exists():
        path = folder / f"{safe_name(title)}-{stamp}-{counter}.pdf"
        counter += 1
    return path


def _media(printer: QPrinter) -> str | None:
    """The CUPS media keyword for the paper chosen in the dialog (A4, A5, A6 …)."""
    key = printer.pageLayout().pageSize().key()
    return key or None


class PrintJob(QObject):
    """Print one document: choose where (dialog optional), then make and send it in a thread.

    Signals mirror PrintWorker's, re-emitted in the GUI thread, plus
    `cancelled` when the volunteer closes the dialog. Keep a reference
    until `finished`. `printers` lists the installed printers (Qt's list by
    default; a test passes its own).
    """

    progress = Signal(str)
    printed = Signal(str)
    saved = Signal(str)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self,
        make: MakePdf,
        *,
        title: str,
        tr: Translator,
        parent: QWidget | None = None,
        paper: QPageSize.PageSizeId = QPageSize.PageSizeId.A4,
        printers: Callable[[], Sequence[object]] = QPrinterInfo.availablePrinters,
    ):
        super().__init__(parent)
        self._printers = printers
        self._make = make
        self._title = title
        self._tr = tr
        self._parent = parent
        self._paper = paper
        self._thread: QThread | None = None
        self._worker: PrintWorker | None = None

    def start(
        self,
        printer: QPrinter | None = None,
        *,
        show_dialog: bool = True,
        save_folder: Path | None = None,
    ) -> bool:
        """Choose the destination and start the worker; False when the volunteer cancelled.

        With no printer injected and none installed, the PDF is saved to
        `save_folder`, or to a folder the volunteer picks (a USB stick).
        """
        destination = self._destination(printer, show_dialog, save_folder)
        if destination is None:
            self.cancelled.emit()
            self.finished.emit()
            return False
        self._run(destination)
        return True

    def _destination(
        self, printer: QPrinter | None, show_dialog: bool, save_folder: Path | None
    ) -> Destination | None:
        if printer is None:
            if not self._printers():
                folder = save_folder or self._ask_folder()
                return Destination(folder=folder) if folder else None
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageSize(QPageSize(self._paper))
        printer.setDocName(self._title)
        if show_dialog:
            dialog = QPrintDialog(printer, self._parent)
            dialog.setWindowTitle(self._title)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
        copies = max(1, printer.copyCount())
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            return Destination(output_file=Path(printer.outputFileName()), copies=copies)
        name = printer.printerName()
        queues = cups.printers()  # the default first
        if name in queues or (not name and queues):
            return Destination(printer_name=name or queues[0], copies=copies, media=_media(printer))
        return Destination(native=printer, copies=copies)

    def _ask_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self._parent, self._tr("print.no_printer"))
        return Path(chosen) if chosen else None

    def _run(self, destination: Destination) -> None:
        self._thread = QThread(self)
        self._worker = PrintWorker(self._make, destination, self._title, self._tr)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.printed.connect(self.printed)
        self._worker.saved.connect(self.saved)
        self._worker.failed.connect(self.failed)
        self._worker.finished.connect(self._thread.quit)
        self._worker.finished.connect(self._worker.deleteLater)
        self._thread.finished.connect(self._on_thread_finished)
        self._thread.start()

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None:
            # `finished` is emitted from the ending thread: let it exit fully before the
            # QThread (and the worker it deletes on the way out) go, or it may crash.
            self._thread.wait()
            self._thread.deleteLater()
        self._thread = None
        self._worker = None
        self.finished.emit()
