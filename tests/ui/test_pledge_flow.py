"""A signer walks the pledge flow: tap, type, draw — and every way it can go wrong."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit
from sqlalchemy import event, select

from kiosk.content import CURRENT_CONSENT_VERSION
from kiosk.flow import Step
from kiosk.store.models import Event, Signature
from kiosk.ui.signature_pad import SignaturePad
from sync.privacy.withdrawal import code_for, display_code
from tests.content.test_consent import consent_file_sha256
from tests.sealed import unseal
from tests.ui.helpers import draw, signature_points, tap, touch_draw, type_text


def on_step(kiosk, step: Step) -> bool:
    return kiosk.window.current_screen() is kiosk.window.screens[step]


def to_details(qtbot, kiosk, *commitment_ids: str) -> None:
    tap(qtbot, kiosk.attract.start_button)
    for cid in commitment_ids or ("bike-short-trips",):
        tap(qtbot, kiosk.commitments.toggles[cid])
    tap(qtbot, kiosk.commitments.next_button)
    assert on_step(kiosk, Step.DETAILS)


def fill_details(qtbot, kiosk, name: str = "Zoë O'Brien-Åkesson", **extra: str) -> None:
    details = kiosk.details
    type_text(details.edits["name"], name)
    for field, text in extra.items():
        type_text(details.edits[field], text)
    tap(qtbot, details.toggles["consent"])


def to_sign(qtbot, kiosk, name: str = "Zoë O'Brien-Åkesson") -> None:
    to_details(qtbot, kiosk)
    fill_details(qtbot, kiosk, name)
    tap(qtbot, kiosk.details.next_button)
    assert on_step(kiosk, Step.SIGN)


def rows(store) -> list[tuple]:
    """What is committed in the SQLite file, read through a separate connection."""
    connection = sqlite3.connect(store.path)
    try:
        found = connection.execute("SELECT id, sealed FROM signatures").fetchall()
        return [(signature_id, unseal(sealed)["name"]) for signature_id, sealed in found]
    finally:
        connection.close()


def test_a_signer_walks_the_whole_flow_and_the_row_is_stored(qtbot, kiosk, store):
    # Never synced: the content file's last known total (560) stands in for the store's.
    assert kiosk.content.campaign.last_known_total == 560
    assert kiosk.attract.count_label.text() == "560 helsingborgare har skrivit på"
    tap(qtbot, kiosk.attract.start_button)
    assert on_step(kiosk, Step.COMMITMENTS)
    assert kiosk.commitments.step_label.text() == "Steg 1 av 3"
    tap(qtbot, kiosk.commitments.toggles["bike-short-trips"])
    tap(qtbot, kiosk.commitments.toggles["less-food-waste"])
    tap(qtbot, kiosk.commitments.next_button)

    assert kiosk.details.step_label.text() == "Steg 2 av 3"
    fill_details(qtbot, kiosk, "Zoë O'Brien-Åkesson", email="zoe@example.se", postcode="25221")
    tap(qtbot, kiosk.details.toggles["lives_or_works_in_helsingborg"])
    tap(qtbot, kiosk.details.next_button)

    sign = kiosk.sign
    assert sign.step_label.text() == "Steg 3 av 3"
    draw(sign.pad, signature_points(sign.pad))
    committed_when_thanked: list[list[tuple]] = []
    kiosk.flow.step_changed.connect(
        lambda step: committed_when_thanked.append(rows(store)) if step == Step.THANKS else None
    )
    tap(qtbot, sign.next_button)
    qtbot.waitUntil(lambda: on_step(kiosk, Step.THANKS))

    # The thank-you appeared only once the row was in the file.
    assert len(committed_when_thanked) == 1
    assert [name for _id, name in committed_when_thanked[0]] == ["Zoë O'Brien-Åkesson"]
    with store.session() as session:
        row = session.scalars(select(Signature)).one()
        current = session.scalars(select(Event)).one()
        assert row.event_id == current.id
        assert [c.commitment_id for c in row.commitments] == [
            "bike-short-trips",
            "less-food-waste",
        ]
        sealed = unseal(row.sealed)
        assert (sealed["email"], sealed["postcode"]) == ("zoe@example.se", "252 21")
        assert row.postcode_area == "252"
        assert row.lives_or_works_in_helsingborg is True
        assert (row.community_opt_in, row.helper_opt_in) == (False, False)
        assert row.consent_version == CURRENT_CONSENT_VERSION
        assert row.consent_sha256 == consent_file_sha256("sv", CURRENT_CONSENT_VERSION)
        assert row.language == "sv"
        strokes = sealed["strokes"]
        assert len(strokes) == 1 and len(strokes[0]) > 20
        assert all(0 <= x <= 1000 and 0 <= y <= 1000 for x, y in strokes[0])
        assert all(len(point) == 2 for point in strokes[0])  # points only: no time, no pressure

    thanks = kiosk.thanks
    # The first name only: the queue behind need not read the whole name in huge type.
    assert thanks.title_label.text() == "Tack, \u2068Zoë\u2069!"
    assert "Brien" not in thanks.title_label.text()
    assert thanks.number_label.isVisible()
    assert thanks.number_label.text() == "Du är nummer 561!"  # from the live total
    assert "Jag cyklar eller går på korta resor i stan." in thanks.committed_label.text()
    assert "Jag slänger mindre mat." in thanks.committed_label.text()
    assert not thanks.qr_label.pixmap().isNull()
    code = display_code(code_for(row.id))
    # Withdrawal: the code (kept whole on one line by word joiners) and its QR code.
    assert code in thanks.withdraw_label.text().replace("\u2060", "")
    assert thanks.withdraw_qr.accessibleName() == code
    assert not thanks.withdraw_qr.pixmap().isNull()
    assert not thanks.receipt_button.isVisible()  # until printing connects to it
    tap(qtbot, thanks.done_button)
    assert on_step(kiosk, Step.ATTRACT)
    assert kiosk.attract.count_label.text() == "561 helsingborgare har skrivit på"
    assert "Zoë" not in thanks.title_label.text()
    assert code not in thanks.withdraw_label.text()


def test_choosing_no_commitment_is_refused_inline(qtbot, kiosk):
    tap(qtbot, kiosk.attract.start_button)
    screen = kiosk.commitments
    tap(qtbot, screen.next_button)
    assert on_step(kiosk, Step.COMMITMENTS)
    assert screen.error_label.isVisible()
    assert screen.error_label.text() == "Välj minst ett åtagande."
    tap(qtbot, screen.toggles["green-electricity"])
    assert not screen.error_label.isVisible()
    tap(qtbot, screen.next_button)
    assert on_step(kiosk, Step.DETAILS)


def test_each_details_error_is_shown_next_to_its_field(qtbot, kiosk, store):
    to_details(qtbot, kiosk)
    details = kiosk.details
    tap(qtbot, details.next_button)
    assert on_step(kiosk, Step.DETAILS)
    assert details.errors["name"].text() == "Skriv ditt namn."
    assert details.errors["consent"].text().startswith("Vi behöver ditt samtycke")
    assert not details.errors["email"].isVisible()

    type_text(details.edits["name"], "Åsa")
    assert not details.errors["name"].isVisible()  # fixed: the message goes while typing
    type_text(details.edits["email"], "asa@exempel")
    type_text(details.edits["postcode"], "2522")
    tap(qtbot, details.next_button)
    assert details.errors["email"].text().startswith("E-postadressen ser inte rätt ut")
    assert details.errors["postcode"].text().startswith("Postnumret ska vara fem siffror")
    assert details.errors["consent"].isVisible()
    assert details.edits["email"].property("invalid") is True

    details.edits["email"].clear()
    type_text(details.edits["email"], "asa@exempel.se")
    details.edits["postcode"].clear()
    type_text(details.edits["postcode"], "252 21")
    tap(qtbot, details.toggles["consent"])
    tap(qtbot, details.next_button)
    assert on_step(kiosk, Step.SIGN)
    assert rows(store) == []  # nothing is stored before the signer signs


def test_an_empty_pad_or_a_dot_is_refused(qtbot, kiosk, store):
    to_sign(qtbot, kiosk)
    sign = kiosk.sign
    tap(qtbot, sign.next_button)
    assert sign.error_label.text() == "Skriv din namnteckning i rutan först."
    draw(sign.pad, [(200, 150), (201, 150)])
    assert not sign.error_label.isVisible()  # drawing again clears the old message
    tap(qtbot, sign.next_button)
    assert sign.error_label.text().startswith("Underskriften är för liten")
    tap(qtbot, sign.clear_button)
    assert sign.pad.is_empty()
    draw(sign.pad, signature_points(sign.pad))
    tap(qtbot, sign.next_button)
    qtbot.waitUntil(lambda: on_step(kiosk, Step.THANKS))
    assert len(rows(store)) == 1


def test_a_finger_signs_on_a_touchscreen(qtbot, kiosk):
    to_sign(qtbot, kiosk)
    pad = kiosk.sign.pad
    touch_draw(pad, [(60 + 12 * i, 120 + (i % 4) * 15) for i in range(40)])
    strokes = pad.strokes()
    assert len(strokes) == 1 and len(strokes[0]) > 20
    tap(qtbot, kiosk.sign.next_button)
    qtbot.waitUntil(lambda: on_step(kiosk, Step.THANKS))


def test_back_on_every_step_keeps_what_was_entered(qtbot, kiosk):
    to_details(qtbot, kiosk, "train-not-plane")
    type_text(kiosk.details.edits["name"], "Märta")
    tap(qtbot, kiosk.details.back_button)
    assert on_step(kiosk, Step.COMMITMENTS)
    assert kiosk.commitments.chosen() == ["train-not-plane"]
    tap(qtbot, kiosk.commitments.next_button)
    assert kiosk.details.edits["name"].text() == "Märta"
    tap(qtbot, kiosk.details.toggles["consent"])
    tap(qtbot, kiosk.details.next_button)
    draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
    tap(qtbot, kiosk.sign.back_button)
    assert on_step(kiosk, Step.DETAILS)
    tap(qtbot, kiosk.details.next_button)
    assert not kiosk.sign.pad.is_empty()
    tap(qtbot, kiosk.sign.back_button)
    tap(qtbot, kiosk.details.back_button)
    tap(qtbot, kiosk.commitments.back_button)
    assert on_step(kiosk, Step.ATTRACT)


def assert_nothing_left(kiosk) -> None:
    assert on_step(kiosk, Step.ATTRACT)
    assert kiosk.flow.language == "sv"
    assert kiosk.commitments.chosen() == []
    assert all(edit.text() == "" for edit in kiosk.details.edits.values())
    assert not any(toggle.isChecked() for toggle in kiosk.details.toggles.values())
    assert not any(error.isVisible() for error in kiosk.details.errors.values())
    assert kiosk.sign.pad.is_empty()
    assert kiosk.flow.details is None and kiosk.flow.commitments == ()


def test_cancel_asks_once_in_the_window(qtbot, kiosk):
    to_sign(qtbot, kiosk, "Björn")
    draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
    overlay = kiosk.window.cancel_overlay
    tap(qtbot, kiosk.sign.cancel_button)
    assert overlay.isVisible()
    assert overlay.title_label.text() == "Avbryta?"
    tap(qtbot, overlay.no_button)
    assert not overlay.isVisible()
    assert on_step(kiosk, Step.SIGN) and not kiosk.sign.pad.is_empty()

    tap(qtbot, kiosk.sign.cancel_button)
    tap(qtbot, overlay.yes_button)
    assert not overlay.isVisible()
    assert_nothing_left(kiosk)


def wait_idle(kiosk, clock, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Let `seconds` pass on the kiosk's clock, one tick of the flow's timer at a time."""
    flow = kiosk.flow
    for _ in range(round(seconds / flow.tick_seconds)):
        clock.advance(flow.tick_seconds)
        flow.check_time()


def test_idle_reset_warns_then_clears_every_field(qtbot, kiosk, clock):
    """As the README says: 60 s without a touch, then a 10 s countdown, then the reset."""
    kiosk.flow.configure_idle(idle_seconds=60, thanks_seconds=15, warning_seconds=10)
    to_sign(qtbot, kiosk, "Örjan")
    sign = kiosk.sign
    tap(qtbot, sign.language_button)  # even the language goes back to Swedish
    draw(sign.pad, signature_points(sign.pad))
    overlay = kiosk.window.idle_overlay
    wait_idle(kiosk, clock, 59)
    assert not overlay.isVisible()
    wait_idle(kiosk, clock, 1)
    assert overlay.isVisible()
    assert overlay.title_label.text() == "Are you still there?"
    assert overlay.count_label.text() == "10"
    wait_idle(kiosk, clock, 3)
    assert overlay.count_label.text() == "7"

    tap(qtbot, overlay.stay_button)  # still here: the warning goes, the work stays
    assert not overlay.isVisible()
    assert not sign.pad.is_empty()

    wait_idle(kiosk, clock, 69)
    assert on_step(kiosk, Step.SIGN) and overlay.count_label.text() == "1"
    wait_idle(kiosk, clock, 1)
    assert on_step(kiosk, Step.ATTRACT)
    assert not overlay.isVisible()
    assert_nothing_left(kiosk)


def test_thanks_returns_to_attract_by_itself(qtbot, kiosk, clock):
    kiosk.flow.configure_idle(idle_seconds=60, thanks_seconds=15)
    to_sign(qtbot, kiosk, "Ingrid")
    draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
    tap(qtbot, kiosk.sign.next_button)
    qtbot.waitUntil(lambda: on_step(kiosk, Step.THANKS))
    wait_idle(kiosk, clock, 14)
    assert on_step(kiosk, Step.THANKS)
    wait_idle(kiosk, clock, 1)
    assert on_step(kiosk, Step.ATTRACT)
    assert "Ingrid" not in kiosk.thanks.title_label.text()


def test_the_language_switches_live_without_losing_input(qtbot, kiosk):
    to_details(qtbot, kiosk, "buy-second-hand")
    details = kiosk.details
    type_text(details.edits["name"], "Åsa Öberg")
    type_text(details.edits["email"], "inte-en-adress")
    tap(qtbot, details.next_button)
    assert details.errors["email"].text().startswith("E-postadressen")

    tap(qtbot, details.language_button)
    assert details.title_label.text() == "Your details"
    assert details.step_label.text() == "Step 2 of 3"
    assert details.errors["email"].text().startswith("That email address")
    assert details.errors["consent"].text() == "We need your consent to keep your signature."
    assert details.edits["name"].text() == "Åsa Öberg"
    assert details.toggles["consent"].text() == (
        "I consent to my details being processed as described below"
    )
    assert "How we handle your details" in details.privacy_heading.text()
    tap(qtbot, details.back_button)
    commitments = kiosk.commitments
    assert commitments.toggles["buy-second-hand"].text() == "I buy second-hand and swap clothes."
    assert commitments.chosen() == ["buy-second-hand"]
    tap(qtbot, commitments.language_button)
    assert commitments.title_label.text() == "Välj dina lagom åtaganden"


@pytest.fixture
def read_only_database(store):  # type: ignore[no-untyped-def]
    """Make SQLite itself refuse every write, as a read-only data folder would."""

    def refuse_writes(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA query_only=ON")

    event.listen(store.engine, "connect", refuse_writes)
    store.engine.dispose()  # pooled connections are opened again, read-only

    def repair() -> None:
        event.remove(store.engine, "connect", refuse_writes)
        store.engine.dispose()

    yield repair
    if event.contains(store.engine, "connect", refuse_writes):
        repair()


def test_a_failed_save_keeps_everything_and_retry_works(
    qtbot, kiosk, store, read_only_database, clock
):
    to_sign(qtbot, kiosk, "Nils Ågren")
    sign = kiosk.sign
    draw(sign.pad, signature_points(sign.pad))
    tap(qtbot, sign.next_button)
    qtbot.waitUntil(sign.alert.isVisible)
    assert sign.alert_title.text() == "Underskriften kunde inte sparas"
    assert "Datamappen går inte att skriva till" in sign.alert_detail.text()
    assert on_step(kiosk, Step.SIGN)
    assert not sign.pad.is_empty()
    assert kiosk.details.edits["name"].text() == "Nils Ågren"
    wait_idle(kiosk, clock, 600)  # longer than the idle time: a failed save is never idled away
    assert on_step(kiosk, Step.SIGN) and not kiosk.window.idle_overlay.isVisible()
    tap(qtbot, sign.language_button)
    assert "The data folder cannot be written to" in sign.alert_detail.text()
    assert rows(store) == []

    tap(qtbot, sign.retry_button)  # the cause is still there: still refused, still kept
    qtbot.waitUntil(lambda: not kiosk.flow.is_saving)
    assert sign.alert.isVisible() and rows(store) == []

    read_only_database()  # the volunteer fixes the cause
    tap(qtbot, sign.retry_button)
    qtbot.waitUntil(lambda: on_step(kiosk, Step.THANKS))
    assert [name for _id, name in rows(store)] == ["Nils Ågren"]
    assert not sign.alert.isVisible()


def test_names_in_any_script_are_shown_right(qtbot, kiosk, store):
    name = "محمد الأحمد"
    to_sign(qtbot, kiosk, name)
    draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
    tap(qtbot, kiosk.sign.next_button)
    qtbot.waitUntil(lambda: on_step(kiosk, Step.THANKS))
    title = kiosk.thanks.title_label.text()
    # The name is isolated, so the Arabic run cannot swallow "Tack," or the "!".
    assert title == "Tack, \u2068محمد\u2069!"  # the first name
    assert [stored for _id, stored in rows(store)] == [name]


def test_keyboard_works_too(qtbot, kiosk):
    to_details(qtbot, kiosk)
    details = kiosk.details
    type_text(details.edits["name"], "Hugo")
    qtbot.keyClick(details.edits["name"], Qt.Key.Key_Tab)
    assert details.edits["email"].hasFocus()
    qtbot.keyClick(details.edits["email"], Qt.Key.Key_Return)
    assert details.errors["consent"].isVisible()  # Enter submitted the step
    details.toggles["consent"].setFocus()
    qtbot.keyClick(details.toggles["consent"], Qt.Key.Key_Space)
    assert details.toggles["consent"].isChecked()
    qtbot.keyClick(details.toggles["consent"], Qt.Key.Key_Return)
    assert on_step(kiosk, Step.SIGN)


def test_every_control_is_named_and_big_enough_to_touch(qtbot, kiosk):
    to_details(qtbot, kiosk)
    screens = [kiosk.window.screens[step] for step in Step]
    overlays = [kiosk.window.idle_overlay, kiosk.window.cancel_overlay]
    controls = [
        widget
        for parent in screens + overlays
        for kind in (QAbstractButton, QLineEdit, SignaturePad)
        for widget in parent.findChildren(kind)
    ]
    assert len(controls) > 30
    for widget in controls:
        assert widget.objectName(), widget
        assert widget.accessibleName(), widget.objectName()
        assert widget.sizeHint().height() >= 48 or widget.minimumHeight() >= 48, widget.objectName()
    for widget in kiosk.details.findChildren(QAbstractButton) + list(kiosk.details.edits.values()):
        if widget.isVisible():
            assert widget.height() >= 48, widget.objectName()


def test_an_unanswered_cancel_question_goes_with_the_idle_reset(qtbot, kiosk, clock):
    to_details(qtbot, kiosk)
    type_text(kiosk.details.edits["name"], "Oskar")
    tap(qtbot, kiosk.details.cancel_button)
    assert kiosk.window.cancel_overlay.isVisible()
    wait_idle(kiosk, clock, kiosk.flow.idle_seconds + kiosk.flow.warning_seconds)
    assert on_step(kiosk, Step.ATTRACT)
    assert not kiosk.window.cancel_overlay.isVisible()
    assert not kiosk.window.idle_overlay.isVisible()
    assert_nothing_left(kiosk)
