"""The Events page: organisers add and edit the campaign's calendar in the browser,
and a real kiosk store receives it at its next sync (GET /api/v1/calendar)."""

from __future__ import annotations

from datetime import date

from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from kiosk.store.outbox import calendar_events
from sync.client import Uploader
from sync.enrolment import enroll
from sync.server import devices
from tests.browser import screenshot_folder
from tests.console.conftest import log_in


def _add_event(page, name: str, place: str, day: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#event-name").fill(name)
    page.locator("#event-place").fill(place)
    page.locator("#event-date").fill(day)
    page.get_by_role("button", name="Spara").click()


def test_events_made_on_the_page_reach_a_kiosk_at_its_sync(console, page, tmp_path):
    console.add_user("olle", "organiser")
    log_in(page, console, "olle")
    page.get_by_role("navigation").get_by_role("link", name="Evenemang").click()
    _add_event(page, "Torgdagen", "Stortorget", "2026-06-20")
    _add_event(page, "Sommarmarknad", "Hamntorget", "2026-06-14")
    rows = page.locator("#calendar tbody tr")
    assert rows.count() == 2 and "Sommarmarknad" in rows.nth(0).inner_text()  # soonest first

    page.get_by_role("link", name="Ändra Torgdagen").click()
    page.locator("#event-place").fill("Sundstorget")
    page.get_by_role("button", name="Spara").click()
    assert "Sundstorget" in page.locator("#calendar").inner_text()
    assert "Stortorget" not in page.locator("#calendar").inner_text()
    page.set_viewport_size({"width": 1200, "height": 800})
    page.screenshot(path=screenshot_folder(tmp_path) / "console-events.png", full_page=True)

    store = open_store(tmp_path / "kiosk")
    with console.central.session() as session:
        _device, token = devices.add_device(session, name="laptop-1")
        session.commit()
    enroll(kiosk_outbox(store), server_url=console.url, token=token)
    with Uploader(kiosk_outbox(store)) as uploader:
        outcome = uploader.sync_once()
        assert outcome.done, outcome
    with store.read_session() as session:
        events = calendar_events(session)
    assert [(e.name, e.place, e.date) for e in events] == [
        ("Sommarmarknad", "Hamntorget", date(2026, 6, 14)),
        ("Torgdagen", "Sundstorget", date(2026, 6, 20)),
    ]
    store.close()


def test_the_calendar_is_only_for_kiosks(console):
    import httpx

    with httpx.Client(base_url=console.url) as client:
        answer = client.get("/api/v1/calendar", headers={"Authorization": "Bearer kt1_nope"})
    assert answer.status_code == 401
