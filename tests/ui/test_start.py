"""Start-up: the attract screen comes first, the store and the other screens right after."""

from __future__ import annotations

from datetime import date

from kiosk.app import build_kiosk, start_kiosk
from kiosk.flow import Step
from kiosk.store import open_store
from kiosk.volunteer.events import start_event
from tests.ui.helpers import draw, signature_points, tap, type_text


def test_the_attract_screen_shows_before_the_store_opens(qtbot, data_dir):
    kiosk = start_kiosk(data_dir, fullscreen=False)
    told = []
    kiosk.store_listeners.append(told.append)  # how volunteer mode learns of the store
    try:
        assert kiosk.window.isVisible()
        assert kiosk.window.current_screen() is kiosk.attract
        assert kiosk.store is None and not kiosk.attract.count_label.isVisible()
        qtbot.waitUntil(lambda: kiosk.store is not None, timeout=30_000)
        assert hasattr(kiosk, "thanks")  # the pledge screens were built after the first frame
        assert kiosk.attract.count_label.isVisible()
        assert kiosk.attract.count_label.text() == "0 helsingborgare har skrivit på"
        assert told == [kiosk.store]
    finally:
        qtbot.waitUntil(lambda: kiosk.store is not None, timeout=30_000)
        kiosk.close()
        kiosk.store.close()


def test_a_tap_before_the_screens_are_built_still_works(qtbot, data_dir):
    kiosk = start_kiosk(data_dir, fullscreen=False)
    try:
        tap(qtbot, kiosk.attract.start_button)  # before the event loop ran at all
        assert kiosk.window.current_screen() is kiosk.commitments
    finally:
        qtbot.waitUntil(lambda: kiosk.store is not None, timeout=30_000)
        kiosk.close()
        kiosk.store.close()


def test_a_signature_given_while_the_store_opens_waits_and_is_kept(qtbot, content, data_dir):
    kiosk = build_kiosk(None, content)
    kiosk.window.show()
    try:
        tap(qtbot, kiosk.attract.start_button)
        tap(qtbot, kiosk.commitments.toggles["save-energy"])
        tap(qtbot, kiosk.commitments.next_button)
        type_text(kiosk.details.edits["name"], "Elin Ödegård")
        tap(qtbot, kiosk.details.toggles["consent"])
        tap(qtbot, kiosk.details.next_button)
        draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
        tap(qtbot, kiosk.sign.next_button)
        qtbot.wait(100)
        assert kiosk.flow.is_saving and kiosk.flow.step is Step.SIGN  # waiting for the store
        store = open_store(data_dir)
        with store.session() as session:  # volunteers chose the stall's event earlier
            start_event(session, name="Stortorget", place="", event_date=date.today())
            session.commit()
        kiosk.attach_store(store)
        qtbot.waitUntil(lambda: kiosk.flow.step is Step.THANKS)
        assert kiosk.attract.count == 1
    finally:
        qtbot.waitUntil(lambda: not kiosk.flow.is_saving)
        kiosk.close()
        if kiosk.store is not None:
            kiosk.store.close()
