"""Flyers read back: the words, the embedded font, the paper size and a QR code that scans."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from kiosk.content import Content, load_content
from kiosk.documents import FlyerOptions, make_flyer, tracked_url
from tests.pdfcheck import decode_qr, fonts, page_sizes_mm, text_of


@pytest.mark.parametrize(
    ("size", "up", "paper_mm", "codes"),
    [
        ("a6", 1, (105, 148), 1),
        ("a5", 1, (148, 210), 1),
        ("a4", 1, (210, 297), 1),
        ("a6", 4, (210, 297), 4),
        ("a5", 2, (297, 210), 2),
    ],
)
def test_flyer_prints_on_the_right_paper_with_scannable_codes(
    content: Content, size: str, up: int, paper_mm: tuple[int, int], codes: int
) -> None:
    pdf = make_flyer(content, FlyerOptions(size=size, up=up))

    assert page_sizes_mm(pdf) == [paper_mm]
    assert decode_qr(pdf, dpi=150 if up == 1 else 200) == [content.campaign.website_url] * codes
    assert text_of(pdf).count(content.campaign.call("sv")) == codes


def test_flyer_says_the_campaign_in_swedish_with_an_embedded_font(content: Content) -> None:
    pdf = make_flyer(content, FlyerOptions(size="a6", language="sv"))
    text = text_of(pdf)

    for expected in (
        content.campaign.call("sv"),
        content.campaign.goal_short("sv"),
        "Engagemangstrappan",
        "Skanna och skriv på",
        content.staircase[3].title("sv"),
    ):
        assert expected in text
    assert fonts(pdf) == {"NotoSans-Regular": True, "NotoSans-Bold": True}


def test_flyer_in_english(content: Content) -> None:
    text = text_of(make_flyer(content, FlyerOptions(language="en")))

    assert content.campaign.call("en") in text
    assert "Scan to sign" in text
    assert "Skanna" not in text


def test_event_flyer_qr_carries_the_documented_tracking(content: Content) -> None:
    pdf = make_flyer(content, FlyerOptions(event="Råå hamnmarknad"))

    expected = (
        "https://klimatavtalet.se/?utm_source=kiosk&utm_medium=flyer&utm_campaign=raa-hamnmarknad"
    )
    assert tracked_url(content.campaign.website_url, "Råå hamnmarknad") == expected
    assert decode_qr(pdf) == [expected]


def test_flyer_lists_upcoming_events_but_not_past_ones(tmp_path: Path) -> None:
    source = Path(load_content().source).read_text(encoding="utf-8")
    events = """
[[upcoming_events]]
date = 2026-06-20
title = { sv = "Klädbyte", en = "Clothes swap" }
place = { sv = "Dunkers kulturhus", en = "Dunkers kulturhus" }

[[upcoming_events]]
date = 2026-05-01
title = { sv = "Vårfika", en = "Spring coffee" }
"""
    path = tmp_path / "pledge.toml"
    path.write_text(source + events, encoding="utf-8")
    content = load_content(path)

    text = text_of(make_flyer(content, FlyerOptions(today=date(2026, 6, 1))))

    assert "Kommande events" in text
    assert "Klädbyte, Dunkers kulturhus" in text
    assert "Vårfika" not in text
    assert "Engagemangstrappan" in text  # one short event leaves room for the staircase


def test_flyer_without_events_shows_the_staircase_instead(content: Content) -> None:
    plain = dataclasses.replace(content, upcoming_events=())
    text = text_of(make_flyer(plain))

    assert "Kommande events" not in text
    assert all(step.title("sv") in text for step in content.staircase)


def test_a_size_and_up_without_a_layout_is_refused(content: Content) -> None:
    with pytest.raises(ValueError, match="no layout"):
        make_flyer(content, FlyerOptions(size="a4", up=2))
