"""Printing from the running kiosk: the receipt on the thank-you screen and the
panel's print page, to a real CUPS queue when there is one and to a folder."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest

from kiosk.flow import Step
from kiosk.volunteer.practice import start_practice
from kiosk.volunteer.settings import load_settings
from sync.privacy.withdrawal import display_code
from tests.pdfcheck import text_of
from tests.printing import conftest as print_fixtures
from tests.printing.conftest import cups_pdf_out_dir
from tests.ui.helpers import tap
from tests.ui.test_kiosk_sync import open_page, sign
from tests.ui.test_pledge_flow import on_step
from tests.ui.volunteer.conftest import settle

pdf_queue = print_fixtures.pdf_queue  # a real CUPS queue, or a skip that says why
NAME = "Zoë O'Brien-Åkesson"


def pdfs(folder) -> list:  # type: ignore[no-untyped-def]
    return sorted(folder.glob("*.pdf"))


def test_receipt_is_made_off_the_gui_thread_and_saved(qtbot, kiosk, tmp_path):
    kiosk.receipts.save_folder = tmp_path
    sign(qtbot, kiosk, NAME)
    thanks = kiosk.thanks
    assert thanks.receipt_button.isVisible()
    assert thanks.receipt_button.text() == "Skriv ut kvitto"
    tap(qtbot, thanks.receipt_button)
    qtbot.waitUntil(lambda: thanks.receipt_status.text().startswith("Kvittot är utskrivet"))
    assert kiosk.receipts.worker_threads[0] is not threading.main_thread()
    [receipt] = pdfs(tmp_path)
    text = text_of(receipt.read_bytes())
    assert "Tack, Zoë O'Brien-Åkesson!" in text
    assert "Jag cyklar eller går på korta resor i stan." in text
    code = kiosk.flow.withdrawal_code()
    assert code and display_code(code) in text  # the way back out, on paper too

    # The idle reset (or "done") leaves nothing of the signer on the screen.
    kiosk.flow.reset()
    assert on_step(kiosk, Step.ATTRACT)
    assert thanks.receipt_status.text() == ""
    assert NAME not in thanks.title_label.text()


def test_no_receipt_without_a_printer_or_for_practice(qtbot, kiosk, store, tmp_path):
    sign(qtbot, kiosk)
    assert not kiosk.thanks.receipt_button.isVisible()  # no printer chosen
    tap(qtbot, kiosk.thanks.done_button)

    kiosk.receipts.save_folder = tmp_path
    with store.session() as session:
        start_practice(session)
        session.commit()
    kiosk.controller.load_practice()
    settle(qtbot, kiosk)
    sign(qtbot, kiosk)
    assert not kiosk.thanks.receipt_button.isVisible()
    assert kiosk.receipts.print_receipt() is False
    assert pdfs(tmp_path) == []


def test_receipt_prints_to_the_chosen_cups_queue_without_a_dialog(qtbot, kiosk, pdf_queue):
    started = time.time()
    kiosk.volunteer.on_printer_chosen(pdf_queue)
    sign(qtbot, kiosk, NAME)
    tap(qtbot, kiosk.thanks.receipt_button)
    qtbot.waitUntil(lambda: kiosk.receipts.job is None, timeout=30_000)
    assert kiosk.thanks.receipt_status.text().startswith("Kvittot är utskrivet")
    folder = cups_pdf_out_dir()
    deadline = time.monotonic() + 30
    printed = []
    while not printed and time.monotonic() < deadline:
        printed = [
            p
            for p in folder.glob("Kvitto*.pdf")
            if p.stat().st_mtime >= started - 1 and p.stat().st_size
        ]
        qtbot.wait(200)
    assert printed, f"no receipt printed in {folder}"
    text = text_of(printed[-1].read_bytes())  # cups-pdf re-encodes non-ASCII letters
    assert "Tack, Zo" in text and "Brien-" in text and "klimatavtalet.se/community" in text


def test_print_page_saves_a_flyer_and_a_summary_to_a_folder(qtbot, kiosk, tmp_path):
    sign(qtbot, kiosk)
    tap(qtbot, kiosk.thanks.done_button)
    panel = open_page(qtbot, kiosk, "print")
    page = panel.print_page
    assert page.printer.itemText(0) == "Ingen skrivare – spara PDF"

    page.layout_choice.setCurrentIndex(page.layout_choice.findData("a6:4"))
    page.language.setCurrentIndex(page.language.findData("en"))
    assert page.save_to(tmp_path)
    qtbot.waitUntil(lambda: page.job is None and page.message.startswith("Sparad som"))
    [flyer] = pdfs(tmp_path)
    assert "Scan to sign" in text_of(flyer.read_bytes())

    page.document.setCurrentIndex(page.document.findData("summary_event"))
    assert page.document.currentText() == "Sammanfattning: Stortorget"
    page.language.setCurrentIndex(page.language.findData("sv"))
    assert page.save_to(tmp_path)
    qtbot.waitUntil(lambda: page.job is None and page.message.startswith("Sparad som"))
    summary = next(p for p in pdfs(tmp_path) if p != flyer)
    text = text_of(summary.read_bytes())
    assert "Sammanfattning" in text and "Stortorget" in text

    # A range with nothing in it is said in plain words, and nothing is saved.
    page.document.setCurrentIndex(page.document.findData("summary_range"))
    page.start_date.setDate(date(2001, 1, 1))
    page.end_date.setDate(date(2001, 1, 2))
    assert page.save_to(tmp_path)
    qtbot.waitUntil(lambda: page.job is None and page.message != "Skriver ut …")
    assert page.message.startswith("Det finns inga underskrifter att sammanfatta för")
    assert "2001" in page.message
    assert len(pdfs(tmp_path)) == 2


def test_the_printer_choice_is_the_kiosks_printer_setting(qtbot, kiosk, store):
    panel = open_page(qtbot, kiosk, "print")
    panel.print_page.choose_printer("Stall-printer")
    settle(qtbot, kiosk)
    with store.session() as session:
        assert load_settings(session).printer_name == "Stall-printer"
    assert kiosk.volunteer.settings.printer_name == "Stall-printer"
    tap(qtbot, panel.tabs["settings"])
    settle(qtbot, kiosk)
    assert panel.settings_page.printer_name.text() == "Stall-printer"
    assert panel.settings_page.printer_name.isReadOnly()


def test_print_page_prints_to_a_cups_queue(qtbot, kiosk, pdf_queue):
    started = time.time()
    panel = open_page(qtbot, kiosk, "print")
    page = panel.print_page
    page.choose_printer(pdf_queue)
    assert page.print_document()
    qtbot.waitUntil(lambda: page.job is None, timeout=30_000)
    assert not page.message.startswith("Utskriften misslyckades"), page.message
    folder = cups_pdf_out_dir()
    deadline = time.monotonic() + 30
    printed = []
    while not printed and time.monotonic() < deadline:
        printed = [p for p in folder.glob("Flygblad*.pdf") if p.stat().st_mtime >= started - 1]
        qtbot.wait(200)
    assert printed


@pytest.mark.parametrize("language", ["sv", "en"])
def test_print_page_words_in_both_languages(qtbot, kiosk, language):
    panel = open_page(qtbot, kiosk, "print")
    kiosk.flow.set_language(language)
    expected = {"sv": "Skriv ut", "en": "Print"}[language]
    assert panel.print_page.print_button.text() == expected
    assert panel.tabs["sync"].text() == {"sv": "Synk", "en": "Sync"}[language]
