"""The overview refreshes by itself: a signature uploaded through the API while the page
is open appears without a reload, within the (here short) refresh interval."""

from __future__ import annotations

from playwright.sync_api import expect

from sync.server.console.config import ConsoleConfig
from tests.console.conftest import log_in
from tests.console.test_export import _synced_store

INTERVAL = 1  # seconds; the store's default is 30


def test_a_new_upload_appears_on_the_open_overview(console, page, tmp_path):
    console.app.state.console_config = ConsoleConfig(clock=console.clock, refresh_seconds=INTERVAL)
    console.add_user("vera", "viewer")
    log_in(page, console, "vera")
    page.get_by_role("heading", name="Översikt").wait_for()
    assert page.locator("#total").inner_text() == "0"
    assert "var 1:e sekund" in page.locator("#refreshed").inner_text()
    page.evaluate("window.stillThisPage = true")  # gone if the page were reloaded

    _synced_store(console, tmp_path / "kiosk", count=3)  # a real kiosk upload over HTTP

    expect(page.locator("#total")).to_have_text("3", timeout=10 * INTERVAL * 1000)
    expect(page.locator("#events")).to_contain_text("Stortorget")
    assert page.evaluate("window.stillThisPage") is True
