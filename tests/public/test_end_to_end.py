"""End to end in a real browser: a signature made on a real kiosk process, synced,
withdrawn by following the thank-you screen's QR code, is gone from the store,
from `export` and, after its next sync, from the kiosk; withdrawn before the
sync, it never reaches the store.

Set KLIMATAVTAL_SCREENSHOTS=docs/screenshots to refresh the README's
screenshots from this run.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.store import open_store
from kiosk.store.repository import create_event, set_current_event
from sync.server import repository
from tests.browser import screenshot_folder
from tests.public.conftest import PublicStore, a_record
from tests.sync.conftest import enrolled
from tests.sync.records import event_json

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.gui  # the kiosk process draws its screens (offscreen)


def shots(tmp_path: Path) -> Path:
    return screenshot_folder(tmp_path)


class KioskProcess:
    """tests/public/kiosk_signer.py: a kiosk of its own, talked to line by line."""

    def __init__(self, data_dir: Path):
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.public.kiosk_signer", str(data_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )

    def ask(self, line: str) -> str:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer, f"the kiosk process stopped (exit {self.process.poll()})"
        return answer

    def close(self) -> None:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0
        self.process.stdout.close()


@pytest.fixture
def kiosk(tmp_path: Path, sqlite_public_store: PublicStore):  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "kiosk"
    store = open_store(data_dir)
    with store.session() as session:
        set_current_event(
            session,
            create_event(session, name="Stortorget", place="Stortorget", event_date=date.today()),
        )
        session.commit()
    enrolled(store, sqlite_public_store, name="stall-1")
    store.close()
    process = KioskProcess(data_dir)
    yield process
    process.close()


def withdrawal_qr(png: Path) -> str:
    """The withdrawal address the thank-you screen's small QR code holds."""
    found = [code.text for code in zxingcpp.read_barcodes(Image.open(png))]
    urls = [text for text in found if "/aterkalla?kod=" in text]
    assert len(urls) == 1, found
    return urls[0]


def exported_ids(live: PublicStore, tmp_path: Path) -> list[str]:
    out = tmp_path / "export.csv"
    subprocess.run(
        [
            sys.executable,
            "main.py",
            "export",
            "--database-url",
            live.database_url,
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with out.open(encoding="utf-8-sig") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


def test_a_synced_signature_is_withdrawn_through_the_qr_code_in_a_browser(
    kiosk, sqlite_public_store, browser, tmp_path
):
    live = sqlite_public_store
    folder = shots(tmp_path)
    assert kiosk.ask(f"sign Åsa_Öberg asa@example.se {tmp_path / 'thanks.png'}") == "signed"
    url = withdrawal_qr(tmp_path / "thanks.png")
    assert url.startswith(f"{live.url}/aterkalla?kod=")  # the enrolled store's own page
    assert "done=True" in kiosk.ask("sync")
    assert live.held() == 1 and len(exported_ids(live, tmp_path)) == 1

    # No JavaScript: the page is plain forms.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 420, "height": 860})
    page = context.new_page()
    page.goto(url)
    code = url.split("kod=")[1]
    assert page.input_value("#kod") == code
    assert "antalet underskrifter minskar med en" in page.inner_text("main")
    page.screenshot(path=str(folder / "withdraw-1-code-sv.png"), full_page=True)
    page.click("#continue")
    assert "Vill du ta bort din underskrift?" in page.inner_text("h1")
    assert live.held() == 1
    page.screenshot(path=str(folder / "withdraw-2-confirm-sv.png"), full_page=True)
    page.click("#confirm")
    assert code in page.inner_text("#done")
    page.screenshot(path=str(folder / "withdraw-3-done-sv.png"), full_page=True)
    context.close()

    assert live.held() == 0
    assert exported_ids(live, tmp_path) == []
    assert kiosk.ask("count") == "1"  # the kiosk still has it until its next sync
    assert "done=True" in kiosk.ask("sync")
    assert kiosk.ask("count") == "0"


def test_withdrawn_before_the_sync_the_signature_never_reaches_the_store(
    kiosk, sqlite_public_store, browser, tmp_path
):
    live = sqlite_public_store
    assert kiosk.ask(f"sign Bo_Ek bo@example.se {tmp_path / 'thanks.png'}") == "signed"
    url = withdrawal_qr(tmp_path / "thanks.png")
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.click("a.language")
    assert page.inner_text("h1") == "Withdraw your signature"
    page.screenshot(path=str(shots(tmp_path) / "withdraw-1-code-en.png"), full_page=True)
    page.click("#continue")
    page.click("#confirm")
    assert "We hold no signature with the code" in page.inner_text("#done")
    context.close()

    assert "done=True" in kiosk.ask("sync")
    assert live.held() == 0 and exported_ids(live, tmp_path) == []
    assert kiosk.ask("count") == "0"  # answered `erased`: the kiosk deleted its copy


def test_the_counter_embeds_as_a_page_an_image_and_a_script(sqlite_public_store, browser, tmp_path):
    live = sqlite_public_store
    event = event_json()
    live.upload(*(a_record(event["id"], email=None) for _ in range(3)), event=event)
    with live.central.session() as session:
        repository.add_tally(session, source="paper", count=557)
        session.commit()
    folder = shots(tmp_path)
    context = browser.new_context(viewport={"width": 680, "height": 120})
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text))
    page.goto(f"{live.url}/widget/counter")
    assert page.inner_text("#count") == "560"
    page.screenshot(path=str(folder / "counter-page-sv.png"))
    page.goto(f"{live.url}/widget/counter.svg?lang=en")
    page.screenshot(path=str(folder / "counter-svg-en.png"))
    # The campaign's own website (another origin) embeds the script and the iframe.
    # localhost is another origin than 127.0.0.1 (Chrome lets it reach a loopback
    # store once the page has the local-network permission a public site would not need).
    site = "http://localhost:9/kampanj"
    context.grant_permissions(["local-network-access"])
    page = context.new_page()
    page.on("console", lambda message: blocked.append(message.text))
    page.route(
        site,
        lambda route: route.fulfill(
            content_type="text/html",
            body='<p><span data-klimatavtal-counter data-lang="en">…</span></p>'
            f'<script src="{live.url}/widget/counter.js"></script>'
            f'<iframe src="{live.url}/widget/counter" width="600" height="90"></iframe>',
        ),
    )
    page.goto(site)
    page.wait_for_function(
        "document.querySelector('[data-klimatavtal-counter]').textContent.includes('560')"
    )
    text = page.inner_text("[data-klimatavtal-counter]")
    assert text == (
        "560 people of Helsingborg have signed the climate pledge (56% of the goal of 1,000)"
    )
    frame = page.frame_locator("iframe")
    assert frame.locator("#count").inner_text() == "560"  # framing allowed for this page
    context.close()
    assert not [m for m in blocked if "Content Security Policy" in m], blocked
