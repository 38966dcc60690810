"""Sync in the running kiosk: a real central store on 127.0.0.1, the worker on its
thread, the attract count, the calm indicator and the panel's sync page."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import QThread

from kiosk.flow import Step
from kiosk.store import repository
from kiosk.store.outbox import SERVER_URL_KEY
from sync.client import Backoff
from sync.enrolment import enrolment_string
from sync.server.devices import revoke_device
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import enrolled
from tests.ui.helpers import draw, signature_points, tap
from tests.ui.test_pledge_flow import on_step, to_sign
from tests.ui.volunteer.conftest import PIN, enter_pin, settle

sqlite_live_store = sync_fixtures.sqlite_live_store  # a real central store on 127.0.0.1


@pytest.fixture
def syncing(kiosk):  # type: ignore[no-untyped-def]
    """Start the kiosk's sync worker the way `start_kiosk` does; stopped after the test."""

    def start(**options):  # type: ignore[no-untyped-def]
        kiosk.start_sync(kiosk.store, **options)
        return kiosk.sync

    yield start
    kiosk.sync.stop()
    assert not kiosk.sync.running()  # no thread outlives the test


def sign(qtbot, kiosk, name: str = "Zoë O'Brien-Åkesson") -> None:
    to_sign(qtbot, kiosk, name)
    draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
    tap(qtbot, kiosk.sign.next_button)
    qtbot.waitUntil(lambda: on_step(kiosk, Step.THANKS))


def open_page(qtbot, kiosk, page: str):  # type: ignore[no-untyped-def]
    from kiosk.volunteer.pin import PinKeeper

    PinKeeper(kiosk.store).set_pin(PIN)
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    tap(qtbot, panel.tabs[page])
    settle(qtbot, kiosk)
    assert panel.current_page() == page
    return panel


def all_sent(link, *, total: int) -> bool:  # type: ignore[no-untyped-def]
    """The worker's last report: everything sent, the store holds `total`, no sync running."""
    status = link.status
    return status.store_total == total and status.pending == 0 and not status.syncing


def unreachable_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_a_signature_is_synced_and_the_attract_count_follows(
    qtbot, kiosk, store, sqlite_live_store, syncing
):
    enrolled(store, sqlite_live_store)
    link = syncing(interval_ms=60_000)
    assert link.worker.thread() is not QThread.currentThread()  # off the GUI thread
    qtbot.waitUntil(
        lambda: link.status is not None and link.status.enrolled and not link.status.syncing
    )
    assert kiosk.sync_indicator.text().endswith("Synkad")
    assert kiosk.sync_indicator.property("role") == "muted"  # nothing alarming for passers-by

    sign(qtbot, kiosk)
    qtbot.waitUntil(lambda: all_sent(link, total=1), timeout=10_000)
    with sqlite_live_store.client() as http:
        assert http.get("/api/v1/stats").json()["total"] == 1
    tap(qtbot, kiosk.thanks.done_button)
    # Synced: the store's total replaces the content file's last known one.
    assert kiosk.attract.count_label.text() == "1 helsingborgare har skrivit på"
    assert kiosk.sync_indicator.isVisible() and kiosk.sync_indicator.text().endswith("Synkad")
    # The dashboard's "last sync" is the worker's.
    assert kiosk.controller.sync_status is not None
    assert kiosk.controller.sync_status.last_success_utc is not None


def test_unreachable_store_is_named_in_plain_words_and_signatures_wait(
    qtbot, kiosk, store, sqlite_live_store, syncing
):
    enrolled(store, sqlite_live_store)
    with store.session() as session:
        repository.set_setting(session, SERVER_URL_KEY, unreachable_url())
        session.commit()
    link = syncing(backoff=Backoff(base=600, cap=600))
    sign(qtbot, kiosk)
    qtbot.waitUntil(lambda: link.status.last_error is not None and link.status.pending == 1)
    assert kiosk.sync_indicator.text().endswith("Offline – sparas här")
    tap(qtbot, kiosk.thanks.done_button)
    # Never synced: the content file's last known total, plus the signature kept here.
    assert kiosk.attract.count_label.text() == "561 helsingborgare har skrivit på"

    panel = open_page(qtbot, kiosk, "sync")
    page = panel.sync_page
    qtbot.waitUntil(lambda: "går inte att nå" in page.error_label.text())
    assert page.pending_label.text() == "1 väntar på att skickas"
    assert page.last_label.text() == "Inget skickat ännu"
    kiosk.flow.set_language("en")
    assert page.error_label.text().startswith("The central store cannot be reached")


def test_a_revoked_token_is_explained_and_sync_now_retries(
    qtbot, kiosk, store, sqlite_live_store, syncing
):
    enrolled(store, sqlite_live_store, name="laptop-7")
    link = syncing(backoff=Backoff(base=600, cap=600))
    # bool(): waitUntil treats a callback returning None as "passed"
    qtbot.waitUntil(lambda: bool(link.status and link.status.last_success_utc))
    with sqlite_live_store.central.session() as session:
        revoke_device(session, name="laptop-7")
        session.commit()
    sign(qtbot, kiosk)
    tap(qtbot, kiosk.thanks.done_button)
    panel = open_page(qtbot, kiosk, "sync")
    page = panel.sync_page
    tap(qtbot, page.sync_button)
    qtbot.waitUntil(lambda: "återkallad" in page.error_label.text())
    assert "Senast skickat" in page.last_label.text()
    assert page.pending_label.text() == "1 väntar på att skickas"


def test_enrol_from_the_panel_with_a_scanned_code_then_check_events(
    qtbot, kiosk, store, sqlite_live_store, syncing
):
    link = syncing(interval_ms=60_000)
    sign(qtbot, kiosk)
    tap(qtbot, kiosk.thanks.done_button)
    qtbot.waitUntil(lambda: link.status is not None)
    assert kiosk.sync_indicator.isHidden()  # not connected: passers-by see nothing about sync
    panel = open_page(qtbot, kiosk, "sync")
    page = panel.sync_page
    assert page.state_label.text() == "Kiosken är inte ansluten till den centrala lagringen ännu."

    page.code_field.setText("not a code")
    tap(qtbot, page.enrol_button)
    assert page.enrol_result.text().startswith("Det är ingen anslutningskod")

    token = sqlite_live_store.add_device("laptop-3")
    page.code_field.setText(enrolment_string(sqlite_live_store.url, token))
    page.code_field.returnPressed.emit()  # a QR scanner ends with Enter
    qtbot.waitUntil(lambda: page.enrol_result.text() == "Ansluten som laptop-3. Skickar nu.")
    assert page.code_field.text() == ""  # the token is not left on screen
    qtbot.waitUntil(lambda: all_sent(link, total=1))
    assert page.state_label.text() == "Allt är skickat"

    tap(qtbot, page.check_button)
    qtbot.waitUntil(lambda: "mottagna" in page.checks_label.text())
    assert page.checks_label.text() == "Stortorget: alla 1 av 1 mottagna"
    tap(qtbot, panel.tabs["settings"])
    settle(qtbot, kiosk)
    assert panel.settings_page.central_store_url.text() == sqlite_live_store.url
    assert kiosk.sync_indicator.text().endswith("Synkad")


def test_a_wrong_token_is_refused_in_plain_words(qtbot, kiosk, sqlite_live_store):
    panel = open_page(qtbot, kiosk, "sync")
    page = panel.sync_page
    page.server_field.setText(sqlite_live_store.url)
    page.token_field.setText("not-the-token")
    tap(qtbot, page.enrol_button)
    qtbot.waitUntil(lambda: page.enrol_result.text().startswith("Det gick inte att ansluta"))
    assert page.enrol_result.property("role") == "error"
    assert "nyckel godtas inte" in page.enrol_result.text()
