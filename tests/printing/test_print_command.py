"""`print FILE.pdf` through the real queue, and its refusals."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content import Content
from kiosk.documents import FlyerOptions, make_flyer
from tests.printing.conftest import wait_for_printed


def test_print_a_flyer_on_the_queue(
    pdf_queue: str, tmp_path: Path, content: Content, capsys: pytest.CaptureFixture
) -> None:
    pdf = tmp_path / "klimatavtal-cli-flyer.pdf"
    pdf.write_bytes(make_flyer(content, FlyerOptions()))

    assert main(["print", str(pdf), "--printer", pdf_queue, "--copies", "2"]) == 0

    assert "Utskriften är klar." in capsys.readouterr().out
    wait_for_printed("klimatavtal-cli-flyer").unlink()


def test_print_on_a_stopped_printer_fails_with_its_reason(
    spare_queue: str, tmp_path: Path, content: Content, capsys: pytest.CaptureFixture
) -> None:
    pdf = tmp_path / "flyer.pdf"
    pdf.write_bytes(make_flyer(content, FlyerOptions()))
    subprocess.run(["cupsdisable", spare_queue], check=True)

    assert main(["print", str(pdf), "--printer", spare_queue, "--lang", "en"]) == 2

    assert "is stopped or offline" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["missing.pdf"], "no such file"),
        ("text", ["notes.pdf"], "is not a PDF"),
        ("pdf", ["notes.pdf", "--copies", "0"], "--copies must be between 1 and 100"),
    ],
)
def test_print_refuses_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    setup: str | None,
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    if setup == "text":
        (tmp_path / "notes.pdf").write_text("hello")
    elif setup == "pdf":
        (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4\n")

    assert main(["print", *args]) == 2

    assert message in capsys.readouterr().err
