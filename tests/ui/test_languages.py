"""Every screen in every language: the picker, right to left, no untranslated text."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QScrollBar, QWidget

from kiosk.content import load_consent
from kiosk.flow import Step
from kiosk.i18n import languages
from kiosk.ui.common import label
from kiosk.ui.details import split_heading
from kiosk.ui.theme import BASE_FONT_PX, FOCUS_RING, screen_scale, stylesheet
from sync.privacy.withdrawal import display_code
from tests.ui.helpers import draw, signature_points, tap, type_text
from tests.ui.ink import line_spans

ALL = ("sv", "en", "ar")
SECTIONS = "language attract nav commitments details sign save_error thanks idle practice".split()
KEY_LIKE = re.compile(rf"\b(?:{'|'.join(SECTIONS)})\.[a-z_]+\b")


def offer_all(kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk.flow.offer_languages(ALL)


def x_of(widget: QWidget) -> int:
    return widget.mapToGlobal(QPoint(0, 0)).x()


def visible_texts(root: QWidget) -> dict[str, str]:
    """What a passer-by can read (and a screen reader say) under `root`, by widget."""
    found: dict[str, str] = {}
    widgets = root.findChildren(QLabel) + root.findChildren(QAbstractButton)
    for widget in widgets + root.findChildren(QLineEdit):
        if not widget.isVisible():
            continue
        texts = [widget.accessibleName()]
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        else:
            texts.append(widget.text())
        for index, text in enumerate(texts):
            if text:
                found[f"{widget.objectName()}#{index}"] = text
    return found


def content_texts(content, language: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Swedish content a language without its own translation falls back to."""
    campaign = content.campaign
    texts = [campaign.name, campaign.call, campaign.goal, campaign.lagom]
    for theme in content.themes:
        texts.append(theme.title)
        texts.extend(c.text for c in theme.commitments)
    for step in content.staircase:
        texts.extend((step.title, step.text))
    return {text("sv") for text in texts if not text.has(language)}


def walk(qtbot, kiosk) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """Every screen and question a signer can see, with its texts."""
    window = kiosk.window
    seen = {"attract": visible_texts(window)}
    tap(qtbot, kiosk.attract.language_button)
    seen["picker"] = visible_texts(window.language_picker)
    kiosk.flow.choose_language("")
    tap(qtbot, kiosk.attract.start_button)
    tap(qtbot, kiosk.commitments.next_button)  # with its error
    seen["commitments"] = visible_texts(window)
    tap(qtbot, kiosk.commitments.toggles["bike-short-trips"])
    tap(qtbot, kiosk.commitments.next_button)
    details = kiosk.details
    type_text(details.edits["email"], "nope")
    tap(qtbot, details.next_button)  # with its errors
    seen["details"] = visible_texts(window)
    details.edits["email"].clear()
    type_text(details.edits["name"], "Zoë Öberg")
    tap(qtbot, details.toggles["consent"])
    tap(qtbot, details.next_button)
    tap(qtbot, kiosk.sign.next_button)  # with "please sign"
    seen["sign"] = visible_texts(window)
    tap(qtbot, kiosk.sign.cancel_button)
    seen["cancel"] = visible_texts(window.cancel_overlay)
    tap(qtbot, window.cancel_overlay.no_button)
    kiosk.flow.idle_countdown.emit(7)
    seen["idle"] = visible_texts(window.idle_overlay)
    kiosk.flow.touch()
    draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
    tap(qtbot, kiosk.sign.next_button)
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.THANKS)
    seen["thanks"] = visible_texts(window)
    return seen


def test_arabic_is_offered_by_the_catalogues():
    assert set(ALL) <= set(languages())


@pytest.mark.parametrize("language", ALL)
def test_every_screen_is_in_the_language_with_no_key_shown(qtbot, kiosk, content, language):
    offer_all(kiosk)
    kiosk.flow.set_language(language)
    kiosk.flow.default_language = language
    seen = walk(qtbot, kiosk)
    for screen, texts in seen.items():
        keys = {name: text for name, text in texts.items() if KEY_LIKE.search(text)}
        assert keys == {}, screen
    if language == "sv":
        return
    kiosk.flow.reset()
    kiosk.flow.default_language = "sv"
    kiosk.flow.set_language("sv")
    kiosk.flow.reset()
    swedish = walk(qtbot, kiosk)
    fallback = content_texts(content, language)
    consent = load_consent(language)
    if consent.language != language:  # no consent text of its own yet: Swedish, visibly
        fallback.add(split_heading(consent.text)[0])
    for screen, texts in seen.items():
        left = {
            name: text
            for name, text in texts.items()
            if swedish[screen].get(name) == text
            and text not in fallback
            and not any(part in text for part in fallback)
            and re.search(r"\s", text.strip())  # names, addresses: one word
            and re.search(r"[^\W\d_]", text)  # numbers ("252 21") are numbers everywhere
            and "Zoë" not in text
        }
        assert left == {}, f"Swedish left on the {language} {screen} screen"


def test_arabic_is_offered_beside_swedish_and_english_from_the_start(kiosk):
    assert kiosk.flow.offered == ("sv", "en", "ar")
    assert "العربية" in kiosk.attract.language_button.text()


def test_with_two_languages_one_tap_switches(qtbot, kiosk):
    kiosk.flow.offer_languages(("sv", "en"))  # as a volunteer may choose in the settings
    assert kiosk.attract.language_button.text() == "English"
    tap(qtbot, kiosk.attract.language_button)
    assert kiosk.flow.language == "en"
    assert not kiosk.window.language_picker.isVisible()


def test_with_three_a_picker_names_each_language_in_itself(qtbot, kiosk):
    offer_all(kiosk)
    button = kiosk.attract.language_button
    assert "English" in button.text() and "العربية" in button.text()
    tap(qtbot, button)
    picker = kiosk.window.language_picker
    assert picker.isVisible()
    names = {lang: choice.text() for lang, choice in picker.buttons.items()}
    assert names == {"sv": "Svenska", "en": "English", "ar": "العربية"}
    assert picker.buttons["sv"].isChecked()
    for choice in picker.buttons.values():
        assert choice.height() >= 80  # big enough for any finger
    tap(qtbot, picker.buttons["ar"])
    assert kiosk.flow.language == "ar"
    assert not picker.isVisible()
    assert kiosk.attract.start_button.accessibleName() == kiosk.flow.words("attract.start")


def test_the_volunteer_settings_offer_three(qtbot, kiosk):
    from dataclasses import replace

    from kiosk.volunteer.settings import KioskSettings

    with qtbot.waitSignal(kiosk.controller.settings_saved, timeout=10_000):
        kiosk.controller.save_settings(
            replace(KioskSettings(), languages=ALL, default_language="ar")
        )
    assert set(kiosk.flow.offered) == set(ALL)
    assert kiosk.flow.language == "ar"  # the attract screen starts in the chosen language


def probe(qtbot, text: str, direction: Qt.LayoutDirection, width: int = 230):  # type: ignore[no-untyped-def]
    """A screen's label, black on white, as wide as given and as high as its text."""
    widget = label("probe")
    qtbot.addWidget(widget)
    widget.setLayoutDirection(direction)
    widget.setStyleSheet("background: white; color: black; font-size: 22px")
    widget.ensurePolished()  # the font size applies now, before the height is measured
    widget.setText(text)
    widget.setFixedWidth(width)
    widget.setFixedHeight(widget.heightForWidth(width))
    return widget


def test_wrapped_arabic_lines_end_flush_with_the_right_edge(qtbot, kiosk):
    """Qt's plain-text layout ends each wrapped right-to-left line but the last with
    the space it broke at: those lines stopped a space short of the right edge."""
    widget = probe(
        qtbot,
        "ادعوني إلى الفعاليات والنشرة الإخبارية وأريد المساعدة",
        Qt.LayoutDirection.RightToLeft,
    )
    spans = line_spans(widget)
    assert len(spans) >= 3
    ends = [right for _, right in spans]
    assert max(ends) - min(ends) <= 2, ends
    assert widget.text() == "ادعوني إلى الفعاليات والنشرة الإخبارية وأريد المساعدة"


def test_a_label_shows_words_as_typed_in_any_script(qtbot, kiosk):
    """A name is never read as markup, laid out as a document or not."""
    for name in ("<b>ليلى</b> & co", "<b>Zoë</b> & co"):
        typed = probe(qtbot, name, Qt.LayoutDirection.LeftToRight, width=600)
        bare = probe(
            qtbot, name.replace("<b>", "").replace("</b>", ""), typed.layoutDirection(), 600
        )
        assert typed.text() == name
        (typed_span,), (bare_span,) = line_spans(typed), line_spans(bare)
        assert typed_span[1] - typed_span[0] > bare_span[1] - bare_span[0] + 40  # the tags show


def test_arabic_mirrors_every_screen_but_not_the_pad(qtbot, kiosk):
    tap(qtbot, kiosk.attract.start_button)
    screen = kiosk.commitments
    assert x_of(screen.next_button) > x_of(screen.back_button)  # Swedish: Next on the right
    offer_all(kiosk)
    kiosk.flow.set_language("ar")
    qtbot.waitUntil(lambda: x_of(screen.next_button) < x_of(screen.back_button))
    assert kiosk.window.layoutDirection() is Qt.LayoutDirection.RightToLeft
    toggle = screen.toggles["bike-short-trips"]
    assert toggle.layoutDirection() is Qt.LayoutDirection.RightToLeft
    assert kiosk.sign.pad.layoutDirection() is Qt.LayoutDirection.LeftToRight
    kiosk.flow.set_language("sv")
    qtbot.waitUntil(lambda: x_of(screen.next_button) > x_of(screen.back_button))


def test_focus_rings_show_after_keys_only(qtbot, kiosk):
    tap(qtbot, kiosk.attract.start_button)
    screen = kiosk.commitments
    tap(qtbot, screen.toggles["bike-short-trips"])
    focused = kiosk.window.focusWidget()
    assert focused is None or not focused.property(FOCUS_RING)
    qtbot.keyClick(kiosk.window.focusWidget() or screen, Qt.Key.Key_Tab)
    focused = kiosk.window.focusWidget()
    assert focused is not None and focused.property(FOCUS_RING) is True
    tap(qtbot, screen.toggles["buy-less"])
    assert not any(w.property(FOCUS_RING) for w in kiosk.window.findChildren(QWidget))


def test_at_1366x768_more_themes_below_are_announced(qtbot, kiosk):
    kiosk.window.resize(1366, 768)
    tap(qtbot, kiosk.attract.start_button)
    screen = kiosk.commitments
    bar = screen.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert screen.more_button.isVisible()
    assert screen.more_button.text().startswith("Fler åtaganden nedanför")
    before = bar.value()
    tap(qtbot, screen.more_button)
    assert bar.value() > before
    bar.setValue(bar.maximum())
    assert not screen.more_button.isVisible()


def test_the_details_page_has_one_scrollbar(qtbot, kiosk):
    kiosk.window.resize(1366, 768)
    tap(qtbot, kiosk.attract.start_button)
    tap(qtbot, kiosk.commitments.toggles["bike-short-trips"])
    tap(qtbot, kiosk.commitments.next_button)
    bars = [bar for bar in kiosk.details.findChildren(QScrollBar) if bar.isVisible()]
    assert len(bars) <= 1


def test_text_grows_with_a_big_screen(qtbot, kiosk):
    assert screen_scale(1366, 768) == 1.0  # a laptop keeps the designed sizes
    kiosk.window.setStyleSheet(stylesheet(scale=screen_scale(1920, 1080)))
    tap(qtbot, kiosk.attract.start_button)
    toggle = kiosk.commitments.toggles["bike-short-trips"]
    assert toggle.fontInfo().pixelSize() >= 28 > BASE_FONT_PX
    title = kiosk.commitments.title_label
    assert title.fontInfo().pixelSize() >= 1.7 * toggle.fontInfo().pixelSize()


def sign_up(qtbot, kiosk, name: str) -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, kiosk.attract.start_button)
    tap(qtbot, kiosk.commitments.toggles["bike-short-trips"])
    tap(qtbot, kiosk.commitments.next_button)
    type_text(kiosk.details.edits["name"], name)
    tap(qtbot, kiosk.details.toggles["consent"])
    tap(qtbot, kiosk.details.next_button)
    draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
    tap(qtbot, kiosk.sign.next_button)
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.THANKS)


def lines_of(label: QLabel) -> list[str]:
    """The label's text as Qt breaks it into lines at the label's width."""
    layout = QTextLayout(label.text(), label.font())
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(label.contentsRect().width())
        lines.append(label.text()[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


def test_the_withdrawal_qr_is_big_and_its_address_never_breaks(qtbot, kiosk):
    kiosk.window.resize(1366, 768)
    sign_up(qtbot, kiosk, "Zoë Öberg")
    thanks = kiosk.thanks
    assert thanks.withdraw_qr.width() >= 140 and thanks.withdraw_qr.height() >= 140
    thanks.withdraw_label.setFixedWidth(360)  # narrow: the sentence must wrap
    lines = [line.replace("\u2060", "") for line in lines_of(thanks.withdraw_label)]
    assert len(lines) > 1
    code = display_code(kiosk.flow.withdrawal_code())
    assert any("https://klimatavtalet.se/aterkalla" in line for line in lines), lines
    assert any(code in line for line in lines), lines


def test_practice_signatures_get_no_code_and_no_number(qtbot, kiosk):
    kiosk.controller.practice = True
    sign_up(qtbot, kiosk, "Övning Person")
    thanks = kiosk.thanks
    assert kiosk.flow.withdrawal_code() is None
    assert not thanks.withdraw_label.isVisible() and not thanks.withdraw_qr.isVisible()
    assert not thanks.number_label.isVisible()


@pytest.mark.parametrize("language", ALL)
def test_the_thank_you_screen_fits_a_laptop_without_scrolling(qtbot, kiosk, language):
    """Three commitments and the engagement staircase at 1366×768: nothing is cut off
    mid-line below the fold for the queue to miss."""
    from PySide6.QtWidgets import QScrollArea

    kiosk.window.resize(1366, 768)
    kiosk.flow.set_language(language)
    tap(qtbot, kiosk.attract.start_button)
    for commitment in list(kiosk.commitments.toggles)[:3]:
        tap(qtbot, kiosk.commitments.toggles[commitment])
    tap(qtbot, kiosk.commitments.next_button)
    type_text(kiosk.details.edits["name"], "Zoë Öberg")
    tap(qtbot, kiosk.details.toggles["consent"])
    tap(qtbot, kiosk.details.next_button)
    draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
    tap(qtbot, kiosk.sign.next_button)
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.THANKS)
    scroll = kiosk.thanks.findChild(QScrollArea, "thanksScroll")
    kiosk.window.show()
    qtbot.waitExposed(kiosk.window)
    qtbot.waitUntil(lambda: scroll.viewport().width() > 600)  # laid out at the laptop's width
    assert scroll.verticalScrollBar().maximum() == 0
