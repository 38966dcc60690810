"""The panel always answers: *Skicka nu* (sent, or why they wait), shutting down
(asks once, says what waits), the clock and refused records on the dashboard."""

from __future__ import annotations

from kiosk.store import repository
from kiosk.store.outbox import SERVER_URL_KEY
from kiosk.ui.volunteer.mode import CLOCK_REASON
from kiosk.volunteer.events import save_to_current_event
from kiosk.volunteer.pin import PinKeeper
from sync.client import Backoff
from tests.conftest import make_pledge
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import enrolled
from tests.ui.helpers import tap
from tests.ui.test_kiosk_sync import open_page, syncing, unreachable_url  # noqa: F401 - fixture
from tests.ui.volunteer.conftest import PIN, enter_pin, settle
from tests.volunteer.test_controller import ask

sqlite_live_store = sync_fixtures.sqlite_live_store  # a real central store on 127.0.0.1


def save_signatures(store, count: int) -> None:
    for index in range(count):
        save_to_current_event(store, make_pledge(f"Signer {index}"))


def test_sync_now_says_how_many_it_sent(qtbot, kiosk, store, sqlite_live_store, syncing):  # noqa: F811
    enrolled(store, sqlite_live_store)
    link = syncing(interval_ms=600_000)
    qtbot.waitUntil(  # the first pass has run
        lambda: link.status is not None and link.status.store_total is not None
    )
    save_signatures(store, 3)
    page = open_page(qtbot, kiosk, "sync").sync_page
    tap(qtbot, page.sync_button)
    qtbot.waitUntil(lambda: page.sync_button.isEnabled(), timeout=10_000)
    assert page.answer_label.text() == "Skickade 3"
    assert page.answer_label.isVisible()


def test_sync_now_while_not_connected_says_the_signatures_wait_here(
    qtbot,
    kiosk,
    store,
    sqlite_live_store,
    syncing,  # noqa: F811
):
    enrolled(store, sqlite_live_store)
    with store.session() as session:
        repository.set_setting(session, SERVER_URL_KEY, unreachable_url())
        session.commit()
    link = syncing(backoff=Backoff(base=600, cap=600))
    qtbot.waitUntil(lambda: link.status is not None and link.status.last_error is not None)
    save_signatures(store, 2)
    page = open_page(qtbot, kiosk, "sync").sync_page
    tap(qtbot, page.sync_button)
    qtbot.waitUntil(
        lambda: page.answer_label.text() == "Inte ansluten – signaturerna väntar här (2).",
        timeout=10_000,
    )


def test_sync_now_on_a_kiosk_never_enrolled_still_answers(qtbot, kiosk, store):
    save_signatures(store, 1)
    page = open_page(qtbot, kiosk, "sync").sync_page
    tap(qtbot, page.sync_button)
    settle(qtbot, kiosk)
    assert page.answer_label.text().startswith("Inte kopplad till den centrala lagringen")


def test_shutting_down_asks_once_and_offers_to_send_first(qtbot, kiosk, store):
    save_signatures(store, 5)
    panel = open_page(qtbot, kiosk, "dashboard")
    quits = []
    panel.quit_requested.connect(lambda: quits.append(True))
    tap(qtbot, panel.quit_button)
    settle(qtbot, kiosk)
    confirm = panel.quit_confirm
    assert confirm.isVisible() and not quits
    assert confirm.text.text().startswith("5 signaturer har inte skickats än")
    assert confirm.send_button.isVisible()
    tap(qtbot, confirm.send_button)
    settle(qtbot, kiosk)
    assert "väntar här (5)" in confirm.answer_label.text()
    tap(qtbot, confirm.quit_button)
    assert quits == [True]


def test_the_dashboard_names_opt_ins_with_the_signers_words(qtbot, kiosk):
    panel = open_page(qtbot, kiosk, "dashboard")
    words = kiosk.flow.words
    assert panel.dashboard.caption_text("community") == words("details.community_opt_in")
    assert panel.dashboard.caption_text("helpers") == words("details.helper_opt_in")


def test_a_wrong_clock_is_on_the_dashboard_and_blocks_signing_until_acknowledged(
    qtbot, kiosk, clock
):
    PinKeeper(kiosk.store).set_pin(PIN)
    clock._wall = 0.0  # the laptop says 1970 (the monotonic clock goes on)
    kiosk.flow.start()  # a tap on *Skriv på*
    panel = kiosk.volunteer.panel
    assert panel.is_open() and panel.pin_page.reason_key == CLOCK_REASON
    enter_pin(qtbot, panel, PIN)
    assert panel.current_page() == "dashboard"
    dashboard = panel.dashboard
    assert "1970" in dashboard.clock_label.text() and dashboard.clock_label.isVisible()
    tap(qtbot, dashboard.clock_button)
    assert not dashboard.clock_button.isVisible()
    assert dashboard.clock_label.isVisible()  # still said, signing may go on
    panel.leave()
    assert kiosk.controller.may_start()


def test_refused_records_can_be_sent_again_from_the_dashboard(qtbot, kiosk, store):
    from kiosk.store.models import Signature, SyncState

    save_signatures(store, 2)
    with store.session() as session:
        for row in session.query(Signature):
            row.sync_state = SyncState.REFUSED
        session.commit()
    dashboard = open_page(qtbot, kiosk, "dashboard").dashboard
    assert dashboard.retry_button.isVisible()
    assert dashboard.refused_label.text().startswith("2 signaturer avvisades")
    ask(qtbot, kiosk.controller.refused_retried, lambda: tap(qtbot, dashboard.retry_button))
    settle(qtbot, kiosk)
    assert "2 signaturer skickas igen." in dashboard.refused_label.text()
    assert not dashboard.retry_button.isVisible()
