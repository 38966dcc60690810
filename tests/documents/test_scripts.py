"""Names in any script on paper: read back whole, in embedded fonts, visibly inked.

The PDFs are read the way a person meets them: poppler's `pdftotext` (which
reorders right-to-left text into reading order) and `pdffonts`, and pages
rendered with pdfium. Shaped Arabic comes back as presentation forms
(ﻣﺤﻤﺪ), so text is compared after NFKC, without bidi controls and spaces.
"""

from __future__ import annotations

import logging
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdfium2
import pytest

from kiosk.content import Content
from kiosk.documents import build_summary, make_receipt, text_runs
from kiosk.store import Store, repository
from tests.conftest import save

NAMES = {
    "polish": "Łukasz Żółćkiewicz",
    "turkish": "Şükrü Güneş İğdeli",
    "vietnamese": "Nguyễn Thị Hằng",
    "greek": "Ελένη Παπαδοπούλου",
    "cyrillic": "Андрей Щербаков",
    "arabic": "محمد العلي",
    "persian": "مریم رضایی",
    "chinese": "王小明",
    "mixed": "محمد العلي Zoë Łukasz 王小明",
}
A6_WIDTH = 105 * 72 / 25.4
MARGIN = 8 * 72 / 25.4


def comparable(text: str) -> str:
    """Text as letters in reading order: presentation forms folded, no spaces or bidi marks."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Cf")


def pdf_file(tmp_path: Path, pdf: bytes, name: str = "out.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def poppler_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def embedded(path: Path) -> dict[str, bool]:
    """pdffonts: each font's name -> whether it is embedded."""
    output = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in output.splitlines()[2:]:
        columns = line.split()
        found[columns[0]] = columns[-5] == "yes"  # name … emb sub uni object ID
    return found


Box = tuple[int, float, float, float, float]  # page index, x_min, y_min, x_max, y_max


def word_boxes(path: Path) -> list[tuple[str, Box]]:
    """Each word drawn, with its box in points from the page's top left (pdftotext -bbox).

    The words come in the order their glyphs are drawn: right-to-left words
    read backwards here, so callers compare positions, not this text's order.
    """
    html = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [
        (word, (page, float(x0), float(y0), float(x1), float(y1)))
        for page, page_html in enumerate(html.split("<page ")[1:])
        for x0, y0, x1, y1, word in re.findall(pattern, page_html)
    ]


def ink(path: Path, box: Box) -> int:
    """How many dark pixels the page has inside `box`."""
    scale = 3
    index, *corners = box
    document = pypdfium2.PdfDocument(str(path))
    try:
        page = document[index]
        image = page.render(scale=scale, grayscale=True).to_pil()
        page.close()
    finally:
        document.close()
    x0, y0, x1, y1 = (round(v * scale) for v in corners)
    return sum(image.crop((x0, y0, x1, y1)).histogram()[:128])


def letters(text: str) -> str:
    return "".join(ch for ch in comparable(text) if unicodedata.category(ch)[0] in "LM")


def boxes_of(path: Path, part: str) -> list[Box]:
    """Boxes of the drawn words holding `part` (one word of a name), read either way."""
    wanted = letters(part)
    return [
        box
        for word, box in word_boxes(path)
        if (drawn := letters(word)) and (wanted in drawn or wanted in drawn[::-1])
    ]


def name_boxes(path: Path, name: str) -> list[Box]:
    """Boxes for every word of `name`; fails when a word was not drawn at all."""
    found = []
    for part in name.split():
        boxes = boxes_of(path, part)
        assert boxes, f"{part!r} is not on the page"
        found += boxes
    return found


@pytest.fixture
def no_system_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A machine whose fontconfig knows no fonts at all (only the shipped ones remain)."""
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{empty}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    text_runs.forget_system_fonts()
    yield
    monkeypatch.undo()
    text_runs.forget_system_fonts()


@pytest.mark.parametrize("script", NAMES)
def test_a_receipt_prints_the_name_whole_in_any_script(
    content: Content, tmp_path: Path, script: str
) -> None:
    name = NAMES[script]
    path = pdf_file(
        tmp_path,
        make_receipt(
            content, name=name, signed_on=date(2026, 6, 13), commitments=["bike-short-trips"]
        ),
    )

    text = comparable(poppler_text(path))
    assert "Tack," in text and comparable(name) in text
    fonts = embedded(path)
    assert fonts and all(fonts.values()), fonts
    assert all(ink(path, box) > 20 for box in name_boxes(path, name))


def test_an_arabic_name_in_a_swedish_sentence_reads_in_both_directions(
    content: Content, tmp_path: Path
) -> None:
    name = NAMES["arabic"]
    path = pdf_file(
        tmp_path,
        make_receipt(
            content, name=name, signed_on=date(2026, 6, 13), commitments=["less-food-waste"]
        ),
    )
    (thanks,) = boxes_of(path, "Tack")
    (given,) = boxes_of(path, "محمد")
    (family,) = boxes_of(path, "العلي")
    # Left to right "Tack," then the name, whose words run right to left: on
    # the page the family name (العلي) stands left of the given name (محمد).
    assert thanks[3] < family[1] < given[1]
    assert comparable(name) in comparable(poppler_text(path))


def test_an_arabic_receipt_is_right_aligned_and_thanks_the_signer(
    content: Content, tmp_path: Path
) -> None:
    name = NAMES["arabic"]
    path = pdf_file(
        tmp_path,
        make_receipt(
            content,
            name=name,
            signed_on=date(2026, 6, 13),
            commitments=["bike-short-trips"],
            language="ar",
        ),
    )

    assert comparable(name) in comparable(poppler_text(path))
    boxes = name_boxes(path, name)
    assert all(ink(path, box) > 20 for box in boxes)
    right_edge = max(box[3] for box in boxes)
    left_edge = min(box[1] for box in boxes)
    assert right_edge > A6_WIDTH - MARGIN - 80  # the thanks ends near the right margin
    assert left_edge > A6_WIDTH / 3  # … and starts past the middle: right-aligned
    assert all(embedded(path).values())


def test_a_script_without_a_font_is_left_out_cleanly_and_logged_without_the_name(
    content: Content,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    no_system_fonts: None,
) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.documents.text_runs"):
        pdf = make_receipt(
            content,
            name="Zoë 王小明",
            signed_on=date(2026, 6, 13),
            commitments=["bike-short-trips"],
        )
    text = " ".join(poppler_text(pdf_file(tmp_path, pdf)).split())

    assert "Tack, Zoë!" in text
    assert "王" not in text
    assert "Hani" in caplog.text
    assert "Zoë" not in caplog.text and "王" not in caplog.text


@pytest.mark.expect_log  # the missing script is logged for the volunteer
@pytest.mark.usefixtures("no_system_fonts")
def test_a_name_with_nothing_printable_gets_a_thanks_without_a_name(
    content: Content, tmp_path: Path
) -> None:
    pdf = make_receipt(
        content, name="王小明", signed_on=date(2026, 6, 13), commitments=["bike-short-trips"]
    )
    text = " ".join(poppler_text(pdf_file(tmp_path, pdf)).split())

    assert "Tack för din underskrift!" in text
    assert "Tack, !" not in text and "Tack,!" not in text


@pytest.mark.parametrize("language", ["sv", "ar"])
def test_a_summary_prints_event_names_in_every_script(
    content: Content, store: Store, tmp_path: Path, market_day, language: str
) -> None:  # type: ignore[no-untyped-def]
    names = list(NAMES.values())
    with store.session() as session:
        for index, name in enumerate(names):
            day = date(2026, 6, 1 + index)
            event = repository.create_event(session, name=name, place=name, event_date=day)
            repository.set_current_event(session, event)
            session.commit()
            save(store, now=market_day.replace(day=1 + index))
    pdf = build_summary(
        store, content, start=date(2026, 6, 1), end=date(2026, 6, 30), language=language
    )
    path = pdf_file(tmp_path, pdf)

    text = comparable(poppler_text(path))
    for name in names:
        assert comparable(name) in text, name
    fonts = embedded(path)
    assert all(fonts.values()), fonts
    for name in (NAMES["arabic"], NAMES["chinese"], NAMES["greek"]):
        assert all(ink(path, box) > 20 for box in name_boxes(path, name)), name


@pytest.fixture
def arabic_summary_words(content: Content, store: Store, tmp_path: Path, market_day):  # type: ignore[no-untyped-def]
    """The words on page 1 of an Arabic summary of one Swedish-named event."""
    with store.session() as session:
        event = repository.create_event(
            session, name="Lördag på torget.", place="Stortorget", event_date=market_day.date()
        )
        repository.set_current_event(session, event)
        session.commit()
    save(store, now=market_day)
    day = market_day.date()
    pdf = build_summary(store, content, start=day, end=day, language="ar")
    return [(word, box) for word, box in word_boxes(pdf_file(tmp_path, pdf)) if box[0] == 0]


def test_a_swedish_event_name_on_an_arabic_summary_keeps_its_full_stop_at_its_end(
    arabic_summary_words,
) -> None:  # type: ignore[no-untyped-def]
    """A text without Arabic letters reads left to right on an Arabic page too:
    set right to left, its full stop stood at its left, before "Lördag"."""
    words = arabic_summary_words
    (saturday,) = [box for word, box in words if "Lördag" in word]
    (square,) = [(word, box) for word, box in words if "torget" in word and "Stor" not in word]
    assert square[0] == "torget."  # the full stop drawn right after the last word
    assert saturday[1] < square[1][1]  # and the words left to right


def test_an_arabic_summarys_tables_read_from_the_right(arabic_summary_words, market_day) -> None:  # type: ignore[no-untyped-def]
    """The events table's first column (the date) is on the right, its count on the
    left; a bar table's label on the right, its count on the left."""
    words = arabic_summary_words
    (date_box,) = [box for word, box in words if word == market_day.date().isoformat()]
    row = [(word, box) for word, box in words if abs(box[2] - date_box[2]) < 2]
    left_to_right = [word for word, _box in sorted(row, key=lambda item: item[1][1])]
    assert left_to_right == ["1", "Stortorget", "Lördag", "på", "torget.", "2026-06-13"]
    right_margin = max(box[3] for _word, box in words if 80 < box[2] < 780)  # the body
    counts = [box for word, box in words if word == "1" and box[1] < 60 and box[2] < 780]
    assert len(counts) >= 4  # a commitment, the day and the postcode area, the event
    for count in counts:  # each on the left, its row's words ending at the right margin
        row_ends = [box[3] for _word, box in words if abs(box[2] - count[2]) < 4]
        assert max(row_ends) > right_margin - 2
