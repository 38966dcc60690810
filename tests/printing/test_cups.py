"""Printing through a real CUPS queue (cups-pdf), and the messages when it cannot."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from kiosk.content import Content
from kiosk.documents import FlyerOptions, make_flyer
from kiosk.i18n import Translator
from kiosk.printing import cups
from tests.pdfcheck import decode_qr, text_of
from tests.printing.conftest import wait_for_printed


def flyer_file(tmp_path: Path, content: Content) -> Path:
    path = tmp_path / "flyer.pdf"
    path.write_bytes(make_flyer(content, FlyerOptions(up=4)))
    return path


def test_a_flyer_prints_and_comes_out_of_the_queue(
    pdf_queue: str, tmp_path: Path, content: Content
) -> None:
    title = f"klimatavtal-{uuid.uuid4().hex[:10]}"

    outcome = cups.print_pdf(flyer_file(tmp_path, content), printer=pdf_queue, title=title)

    assert outcome.completed and outcome.printer == pdf_queue
    path = wait_for_printed(title)
    printed = path.read_bytes()
    path.unlink()
    # cups-pdf re-renders through Ghostscript, which drops the text's Unicode
    # map for å/ä/ö, so check ASCII words and that all four codes still scan.
    assert "Engagemangstrappan" in text_of(printed)
    assert decode_qr(printed) == [content.campaign.website_url] * 4


def test_a_stopped_printer_is_reported_before_anything_is_queued(
    spare_queue: str, tmp_path: Path, content: Content
) -> None:
    subprocess.run(["cupsdisable", spare_queue], check=True)

    with pytest.raises(cups.PrintError) as error:
        cups.print_pdf(flyer_file(tmp_path, content), printer=spare_queue)

    assert error.value.message(Translator(language="sv")) == (
        f"Skrivaren {spare_queue} är stoppad eller offline. Kontrollera att den är på och ansluten."
    )
    assert (
        subprocess.run(["lpstat", "-o", spare_queue], capture_output=True, text=True).stdout == ""
    )


def test_a_printer_refusing_jobs_is_reported(
    spare_queue: str, tmp_path: Path, content: Content
) -> None:
    subprocess.run(["cupsreject", spare_queue], check=True)

    with pytest.raises(cups.PrintError) as error:
        cups.print_pdf(flyer_file(tmp_path, content), printer=spare_queue)

    assert error.value.key == "error_printer_rejecting"


def test_a_cancelled_job_is_reported_as_cancelled(
    spare_queue: str, tmp_path: Path, content: Content
) -> None:
    subprocess.run(["cupsdisable", spare_queue], check=True)  # the job waits in the queue
    job_id = cups.submit(flyer_file(tmp_path, content), printer=spare_queue)
    subprocess.run(["cancel", f"{spare_queue}-{job_id}"], check=True)

    with pytest.raises(cups.PrintError) as error:
        cups.wait_for_job(job_id, printer=spare_queue, timeout=10)

    assert error.value.message(Translator(language="en")) == "The print job was cancelled."


def test_an_unknown_printer_is_named(pdf_queue: str, tmp_path: Path, content: Content) -> None:
    with pytest.raises(cups.PrintError) as error:
        cups.print_pdf(flyer_file(tmp_path, content), printer="no-such-printer")

    assert error.value.message(Translator(language="en")) == (
        "The printer no-such-printer does not exist."
    )
