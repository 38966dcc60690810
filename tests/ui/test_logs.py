"""The log: a rotating file in the data folder, and no signer's name or email in it."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from kiosk.content import Content
from kiosk.documents import make_receipt
from kiosk.flow import Step
from kiosk.i18n import Translator
from kiosk.logging_setup import LOG_DIR, setup_logging
from kiosk.printing.qt_print import PrintJob
from kiosk.privacy.local import kiosk_outbox
from sync.client import Uploader
from sync.server.app import create_app
from sync.server.settings import Settings
from tests.sync.conftest import LiveStore, ServerThread, enrolled
from tests.ui.helpers import draw, signature_points, tap
from tests.ui.test_pledge_flow import fill_details, on_step, to_details

NAME = "Hjördis Qvarnström"
EMAIL = "hjordis.qvarnstrom@example.se"


def test_a_pledge_a_sync_and_a_printed_receipt_leave_no_name_or_email_in_the_logs(
    qtbot, kiosk, store, data_dir: Path, tmp_path: Path, content: Content
):
    log_path = setup_logging(data_dir, catch_crashes=False)
    try:
        logging.getLogger("test").info("a careless call with %s", EMAIL)  # the safety net
        to_details(qtbot, kiosk)
        fill_details(qtbot, kiosk, NAME, email=EMAIL, postcode="25221")
        tap(qtbot, kiosk.details.next_button)
        draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
        tap(qtbot, kiosk.sign.next_button)
        qtbot.waitUntil(lambda: on_step(kiosk, Step.THANKS))

        url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
        app = create_app(Settings(database_url=url))
        with ServerThread(app) as base:
            enrolled(store, LiveStore(url=base, database_url=url, central=app.state.store))
            with Uploader(kiosk_outbox(store)) as uploader:
                assert uploader.sync_once().done

        pledge = kiosk.flow.last_saved
        pdf = make_receipt(
            content,
            name=pledge.details.name,
            signed_on=date(2026, 6, 13),
            commitments=pledge.commitments,
            withdrawal_code=kiosk.flow.withdrawal_code(),
        )
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "receipt.pdf"))
        job = PrintJob(lambda: pdf, title="Kvitto", tr=Translator(language="sv"))
        with qtbot.waitSignal(job.finished, timeout=10_000):
            assert job.start(printer, show_dialog=False)
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "klimatavtal", False)]:
            root.removeHandler(handler)
            handler.close()

    assert log_path.parent == data_dir / LOG_DIR
    text = "".join(path.read_text(encoding="utf-8") for path in log_path.parent.iterdir())
    assert "sync: 1 sent" in text and "[email]" in text
    for secret in (NAME, EMAIL, "Hjördis", "Qvarnström", "hjordis", "252 21"):
        assert secret.lower() not in text.lower()
    names = " ".join(str(p) for p in data_dir.rglob("*")) + " ".join(
        str(p) for p in tmp_path.rglob("*")
    )
    assert "Hjördis" not in names and "Qvarnström" not in names


def test_the_log_rotates(tmp_path: Path):
    from logging.handlers import RotatingFileHandler

    path = setup_logging(tmp_path, catch_crashes=False)
    root = logging.getLogger()
    handler = next(h for h in root.handlers if getattr(h, "klimatavtal", False))
    try:
        assert isinstance(handler, RotatingFileHandler)
        handler.maxBytes = 2_000
        for index in range(200):
            logging.getLogger("test").info("line %d of a long day at the stall", index)
    finally:
        root.removeHandler(handler)
        handler.close()
    assert path.exists() and path.with_name(path.name + ".1").exists()
    assert path.stat().st_size <= 2_000
