"""A known email gets a gentle "you have already signed", and may sign again."""

from __future__ import annotations

from kiosk.flow import Step
from kiosk.privacy.local import remember_email_hmacs
from kiosk.store.keys import configured_keys
from tests.conftest import make_pledge, save
from tests.ui.helpers import tap
from tests.ui.test_pledge_flow import fill_details, on_step, to_details


def test_a_known_email_is_thanked_on_the_details_screen_then_may_sign_again(
    qtbot, kiosk, store, market_day
):
    save(store, make_pledge("Åsa", email="asa@exempel.se"), now=market_day)
    details = kiosk.details
    to_details(qtbot, kiosk)
    fill_details(qtbot, kiosk, "Åsa", email=" ASA@exempel.se")
    tap(qtbot, details.next_button)
    assert on_step(kiosk, Step.DETAILS)
    assert details.already_label.isVisible()
    assert details.already_label.text().startswith("Du har redan skrivit på — tack!")
    tap(qtbot, details.next_button)  # signing again is allowed
    assert on_step(kiosk, Step.SIGN)
    kiosk.flow.reset()
    assert not details.already_label.isVisible()


def test_an_email_known_only_from_the_store_is_recognised_and_others_are_not(qtbot, kiosk, store):
    with store.session() as session:
        keys = configured_keys(session)
        remember_email_hmacs(session, [keys.email_hmac("nils@exempel.se")])
        session.commit()
    kiosk.flow.set_language("en")
    to_details(qtbot, kiosk)
    fill_details(qtbot, kiosk, "Nils", email="nils@exempel.se")
    tap(qtbot, kiosk.details.next_button)
    assert kiosk.details.already_label.text() == (
        "You have already signed — thank you! Tap Next if you want to sign again."
    )
    kiosk.flow.reset()
    to_details(qtbot, kiosk)
    fill_details(qtbot, kiosk, "Karin", email="karin@exempel.se")
    tap(qtbot, kiosk.details.next_button)
    assert on_step(kiosk, Step.SIGN)
    assert not kiosk.details.already_label.isVisible()
