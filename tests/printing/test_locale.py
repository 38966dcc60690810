"""Printing on a laptop whose system speaks German: CUPS's words are translated,
the kiosk's reading of them must not be (job ids, scheduler state, errors)."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from kiosk.content import Content
from kiosk.documents import FlyerOptions, make_flyer
from kiosk.printing import cups
from tests.printing.conftest import wait_for_printed

GERMAN = "de_DE.UTF-8"


@pytest.fixture
def german(pdf_queue: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """This process (and the CUPS tools it runs) in German, as on a German laptop."""
    for name in ("LC_ALL", "LANG", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.setenv(name, GERMAN if name != "LANGUAGE" else "de")
    said = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False).stdout
    if "scheduler is running" in said:
        pytest.skip(f"CUPS does not speak German here: generate {GERMAN} (locale-gen)")
    return pdf_queue


def flyer_file(tmp_path: Path, content: Content) -> Path:
    path = tmp_path / "flyer.pdf"
    path.write_bytes(make_flyer(content, FlyerOptions()))
    return path


def test_the_scheduler_is_found_under_a_german_locale(german: str) -> None:
    assert cups.cups_available()
    assert german in cups.printers()


def test_a_job_queued_under_a_german_locale_is_reported_printed(
    german: str, tmp_path: Path, content: Content
) -> None:
    title = f"klimatavtal-de-{uuid.uuid4().hex[:10]}"

    outcome = cups.print_pdf(flyer_file(tmp_path, content), printer=german, title=title)

    assert outcome.completed and outcome.job_id > 0
    wait_for_printed(title).unlink()


def test_an_unknown_printer_is_named_under_a_german_locale(
    german: str, tmp_path: Path, content: Content
) -> None:
    with pytest.raises(cups.PrintError) as error:
        cups.submit(flyer_file(tmp_path, content), printer="no-such-printer")

    assert error.value.key == "error_printer_missing"


def test_a_cancelled_job_is_cancelled_under_a_german_locale(
    german: str, spare_queue: str, tmp_path: Path, content: Content
) -> None:
    subprocess.run(["cupsdisable", spare_queue], check=True)  # the job waits in the queue
    job_id = cups.submit(flyer_file(tmp_path, content), printer=spare_queue)
    subprocess.run(["cancel", f"{spare_queue}-{job_id}"], check=True)

    with pytest.raises(cups.PrintError) as error:
        cups.wait_for_job(job_id, printer=spare_queue, timeout=10)

    assert error.value.key == "error_cancelled"
