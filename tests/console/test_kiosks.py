"""Adding a kiosk on the page, enrolling a REAL kiosk process with the QR code shown
on screen, and its upload appearing on the overview and in the kiosk list."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import zxingcpp
from PIL import Image

from kiosk.store import open_store
from tests.console.conftest import log_in
from tests.sync.fill import fill_pending

ROOT = Path(__file__).resolve().parents[2]


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_a_kiosk_enrolled_from_the_qr_on_screen_syncs_onto_the_overview(console, page, tmp_path):
    console.add_user("olle", "organiser")
    log_in(page, console, "olle")
    page.get_by_role("link", name="Kiosker").click()
    page.get_by_label("Kioskens namn").fill("laptop-1")
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_role("heading", name="laptop-1 är tillagd").wait_for()
    picture = Image.open(io.BytesIO(page.locator("#enrolment-qr svg").screenshot()))
    codes = zxingcpp.read_barcodes(picture)
    assert len(codes) == 1
    code = codes[0].text
    assert code == page.locator("#enrolment-code").inner_text()
    assert code.startswith("klimatavtal-enrol:?server=")

    data_dir = tmp_path / "kiosk"
    enrolled = _main("--data-dir", str(data_dir), "enroll", "--code", code)
    assert enrolled.returncode == 0, enrolled.stderr
    store = open_store(data_dir)
    try:
        fill_pending(store, count=7, seed=3)
    finally:
        store.close()
    synced = _main("--data-dir", str(data_dir), "sync")
    assert synced.returncode == 0, synced.stderr

    page.goto(f"{console.url}/console/")
    assert page.locator("#total").inner_text() == "7"
    assert "Stortorget 3" in page.locator("#events").inner_text()
    page.goto(f"{console.url}/console/kiosks")
    row = page.locator("#kiosks tbody tr", has_text="laptop-1").inner_text()
    assert "aktiv" in row and "aldrig" not in row and "\t7" in row


def test_revoking_asks_first_and_then_refuses_the_kiosks_token(console, page):
    console.add_user("olle", "organiser")
    log_in(page, console, "olle")
    page.goto(f"{console.url}/console/kiosks")
    page.get_by_label("Kioskens namn").fill("laptop-2")
    page.get_by_role("button", name="Lägg till").click()
    token = page.locator("#enrol-command").inner_text().split("--token ")[1].strip()
    page.goto(f"{console.url}/console/kiosks")
    page.get_by_role("link", name="Spärra laptop-2").click()
    page.get_by_role("heading", name="Spärra laptop-2?").wait_for()
    assert page.request.get(
        f"{console.url}/api/v1/devices/me", headers={"Authorization": f"Bearer {token}"}
    ).ok
    page.get_by_role("button", name="Ja, spärra laptop-2").click()
    page.get_by_role("heading", name="Kiosker", exact=True).wait_for()
    assert "spärrad" in page.locator("#kiosks").inner_text()
    answer = page.request.get(
        f"{console.url}/api/v1/devices/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 401
