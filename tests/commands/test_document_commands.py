"""`flyer` and `summary` on the command line: a PDF, or a clear message and no file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content import Content
from kiosk.demo import fill_demo
from kiosk.documents import write_atomically
from kiosk.store import open_store
from tests.pdfcheck import decode_qr, page_sizes_mm, text_of

TODAY = date(2026, 6, 13)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory, content: Content) -> Path:
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    store = open_store(data_dir)
    fill_demo(store, content, count=400, today=TODAY)
    store.close()
    return data_dir


def test_flyer_sheet_with_event_tracking(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "flyers.pdf"

    code = main(
        [
            "flyer",
            "--out",
            str(out),
            "--size",
            "a6",
            "--up",
            "4",
            "--lang",
            "en",
            "--event",
            "Stortorget",
        ]
    )

    assert code == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    pdf = out.read_bytes()
    assert page_sizes_mm(pdf) == [(210, 297)]
    assert "Sign the climate pledge" in text_of(pdf)
    assert set(decode_qr(pdf)) == {
        "https://klimatavtalet.se/?utm_source=kiosk&utm_medium=flyer&utm_campaign=stortorget"
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "a4", "--up", "4"], "--up 4 does not fit A4; choose --up 1"),
        (["--size", "a6", "--up", "3"], "choose --up 1 or 4"),
    ],
)
def test_flyer_refuses_a_layout_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], message: str
) -> None:
    out = tmp_path / "f.pdf"

    assert main(["flyer", "--out", str(out), *args]) == 2

    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("missing-folder/f.pdf", "does not exist"),
        ("notes.txt", "must end in .pdf"),
    ],
)
def test_flyer_refuses_an_output_it_cannot_write(
    tmp_path: Path, capsys: pytest.CaptureFixture, out: str, message: str
) -> None:
    assert main(["flyer", "--out", str(tmp_path / out)]) == 2

    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_no_half_file(tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"
    target.mkdir()  # os.replace onto a folder fails after the bytes were written
    (target / "keep").write_text("x")

    with pytest.raises(OSError):
        write_atomically(target, b"%PDF-1.4 ...")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.pdf"]


def test_summary_of_a_date_range(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"

    code = main(
        [
            "summary",
            "--data-dir",
            str(demo_dir),
            "--out",
            str(out),
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
        ]
    )

    assert code == 0
    assert "400 underskrifter" in text_of(out.read_bytes())


def test_summary_of_the_current_event_by_default(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"

    assert main(["summary", "--data-dir", str(demo_dir), "--out", str(out), "--lang", "en"]) == 0

    text = text_of(out.read_bytes())
    assert "Knutpunkten" in text and "13 June 2026" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--event", "Ingen marknad"], "Det finns inget event som heter ”Ingen marknad”."),
        (["--from", "2001-01-01", "--to", "2001-12-31"], "Det finns inga underskrifter"),
        (["--from", "2026-01-01"], "--from and --to go together"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "is after --to"),
        (["--event", "Knutpunkten", "--from", "2026-01-01", "--to", "2026-02-01"], "not both"),
    ],
)
def test_summary_refuses_what_it_cannot_summarise(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], message: str
) -> None:
    out = tmp_path / "summary.pdf"

    assert main(["summary", "--data-dir", str(demo_dir), "--out", str(out), *args]) == 2

    assert message in capsys.readouterr().err
    assert not out.exists()


def test_summary_of_a_folder_without_data_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    empty = tmp_path / "nothing-here"

    assert (
        main(
            ["summary", "--data-dir", str(empty), "--out", str(tmp_path / "s.pdf"), "--event", "x"]
        )
        == 2
    )

    assert "no kiosk data" in capsys.readouterr().err
    assert not empty.exists()


def test_bad_date_is_an_argparse_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["summary", "--out", str(tmp_path / "s.pdf"), "--from", "13/6", "--to", "x"])

    assert exit_info.value.code == 2
    assert "not a date like 2026-06-13" in capsys.readouterr().err
