"""The kiosk's print job: made and sent off the GUI thread, reported by signals."""

from __future__ import annotations

import threading
import uuid
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter

from kiosk.content import Content
from kiosk.documents import FlyerOptions, build_summary, make_flyer, make_receipt
from kiosk.i18n import Translator
from kiosk.printing.qt_print import (
    Destination,
    PrintJob,
    PrintWorker,
    paint_pdf,
)
from tests.conftest import save
from tests.pdfcheck import decode_qr, page_sizes_mm, text_of
from tests.printing.conftest import wait_for_printed

SV = Translator(language="sv")


def test_print_to_file_printer_without_dialog_writes_the_pdf_unchanged(
    qtbot, tmp_path: Path, content: Content
) -> None:
    pdf = make_flyer(content, FlyerOptions())
    made_in: list[threading.Thread] = []

    def make() -> bytes:
        made_in.append(threading.current_thread())
        return pdf

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "flyer.pdf"))
    job = PrintJob(make, title="Flygblad", tr=SV)

    with qtbot.waitSignal(job.finished, timeout=10_000):
        with qtbot.waitSignal(job.saved) as saved:
            assert job.start(printer, show_dialog=False)

    assert saved.args == [str(tmp_path / "flyer.pdf")]
    assert (tmp_path / "flyer.pdf").read_bytes() == pdf
    assert made_in and made_in[0] is not threading.main_thread()


def test_with_no_printer_installed_the_job_saves_to_the_folder(
    qtbot, tmp_path: Path, content: Content
) -> None:
    pdf = make_flyer(content, FlyerOptions())
    job = PrintJob(lambda: pdf, title="Flygblad", tr=SV, printers=list)

    with qtbot.waitSignal(job.finished, timeout=10_000):
        with qtbot.waitSignal(job.saved) as saved:
            assert job.start(save_folder=tmp_path)

    assert Path(saved.args[0]).parent == tmp_path
    assert Path(saved.args[0]).read_bytes() == pdf


def test_with_no_printer_the_pdf_is_saved_in_the_chosen_folder(
    qtbot, tmp_path: Path, content: Content
) -> None:
    pdf = make_flyer(content, FlyerOptions())
    worker = PrintWorker(lambda: pdf, Destination(folder=tmp_path), "Flygblad Råå", SV)

    with qtbot.waitSignal(worker.saved) as saved:
        worker.run()

    path = Path(saved.args[0])
    assert path.parent == tmp_path and path.name.startswith("Flygblad-Råå-")
    assert path.read_bytes() == pdf


def test_a_failure_is_a_message_not_a_crash(qtbot, tmp_path: Path) -> None:
    def broken() -> bytes:
        raise OSError(28, "No space left on device", str(tmp_path / "x.pdf"))

    job = PrintJob(broken, title="Sammanfattning", tr=SV)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "x.pdf"))

    with qtbot.assertNotEmitted(job.saved), qtbot.waitSignal(job.finished, timeout=10_000):
        with qtbot.waitSignal(job.failed) as failed:
            job.start(printer, show_dialog=False)

    assert failed.args[0].startswith("Kunde inte spara")
    assert not (tmp_path / "x.pdf").exists()


def test_printing_to_a_cups_queue_reports_when_done(
    qtbot, pdf_queue: str, content: Content
) -> None:
    pdf = make_flyer(content, FlyerOptions(size="a6"))
    title = f"klimatavtal-qt-{uuid.uuid4().hex[:8]}"
    printer = QPrinter()
    printer.setPrinterName(pdf_queue)
    job = PrintJob(lambda: pdf, title=title, tr=SV)

    with qtbot.waitSignal(job.finished, timeout=30_000):
        with qtbot.waitSignal(job.printed, timeout=30_000) as printed:
            job.start(printer, show_dialog=False)

    assert printed.args == ["Utskriften är klar."]
    path = wait_for_printed(title)
    assert decode_qr(path.read_bytes()) == [content.campaign.website_url]
    path.unlink()


def test_an_unknown_queue_fails_with_the_printers_name(qtbot, pdf_queue: str) -> None:
    worker = PrintWorker(lambda: b"%PDF-1.4", Destination(printer_name="no-such"), "x", SV)

    with qtbot.waitSignal(worker.failed) as failed:
        worker.run()

    assert failed.args == ["Skrivaren no-such finns inte."]


def test_pages_paint_on_a_qprinter_for_previews_and_non_cups_printers(
    qtbot, tmp_path: Path, content: Content
) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "painted.pdf"))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))

    pages = paint_pdf(make_flyer(content, FlyerOptions(up=4)), printer)

    painted = (tmp_path / "painted.pdf").read_bytes()
    assert pages == 1
    assert page_sizes_mm(painted) == [(210, 297)]
    assert decode_qr(painted, dpi=200) == [content.campaign.website_url] * 4


def test_a_summary_is_made_from_the_store_in_the_worker_thread(
    qtbot, tmp_path: Path, store, content: Content, market_day
) -> None:
    save(store, now=market_day)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "summary.pdf"))
    make = partial(build_summary, store, content, start=market_day.date(), end=market_day.date())
    job = PrintJob(make, title="Sammanfattning", tr=SV)

    with qtbot.waitSignal(job.finished, timeout=10_000):
        with qtbot.assertNotEmitted(job.failed):
            job.start(printer, show_dialog=False)

    assert "1 underskrift " in text_of((tmp_path / "summary.pdf").read_bytes())


def test_a_receipt_without_dialog_goes_to_the_default_queue(
    qtbot, pdf_queue: str, content: Content
) -> None:
    title = f"klimatavtal-receipt-{uuid.uuid4().hex[:8]}"
    make = partial(
        make_receipt,
        content,
        name="Åsa Öberg",
        signed_on=date(2026, 6, 13),
        commitments=("bike-short-trips",),
        size="80mm",
    )
    job = PrintJob(make, title=title, tr=SV)

    with qtbot.waitSignal(job.finished, timeout=30_000):
        with qtbot.waitSignal(job.printed, timeout=30_000):
            assert job.start(show_dialog=False)

    path = wait_for_printed(title)
    assert decode_qr(path.read_bytes(), dpi=300) == [content.campaign.community_url]
    path.unlink()
