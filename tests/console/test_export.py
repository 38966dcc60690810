"""The personal export made in the browser equals `export --private-key`, and nothing
secret (key, passphrase, an opened name or email) is ever sent to the server."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from sync.client import Backoff, Uploader, sync_until_done
from sync.enrolment import enroll
from sync.server.devices import add_device
from tests.console.conftest import log_in
from tests.sync.fill import fill_pending

ROOT = Path(__file__).resolve().parents[2]
PRIVATE_KEY = ROOT / "tests" / "data" / "development.private.json"
PASSPHRASE = "development"


def _synced_store(console, data_dir: Path, count: int) -> None:  # type: ignore[no-untyped-def]
    with console.central.session() as session:
        _device, token = add_device(session, name="laptop-1")
        session.commit()
    store = open_store(data_dir)
    try:
        enroll(kiosk_outbox(store), server_url=console.url, token=token)
        fill_pending(store, count=count, seed=11)
        with Uploader(kiosk_outbox(store)) as uploader:
            assert sync_until_done(uploader, attempts=5, backoff=Backoff(base=0.01, cap=0.1)).done
    finally:
        store.close()


def _cli_rows(console, out: Path) -> list[list[str]]:  # type: ignore[no-untyped-def]
    done = subprocess.run(
        [sys.executable, "main.py", "export", "--database-url", console.database_url,
         "--out", str(out), "--private-key", str(PRIVATE_KEY)],
        cwd=ROOT, input=PASSPHRASE + "\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))


def _browser_export(page, kind: str):  # type: ignore[no-untyped-def]
    page.get_by_label("Privat nyckel (campaign.private.json)").set_input_files(str(PRIVATE_KEY))
    page.get_by_label("Lösenfras").fill(PASSPHRASE)
    page.locator(f'input[name="kind"][value="{kind}"]').check()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Öppna och spara").click()
    page.get_by_text("Klart:").wait_for(timeout=60_000)
    return Path(download.value.path()).read_bytes()


def test_the_browser_opens_the_same_rows_as_the_command_line_and_sends_no_secret(
    console, page, tmp_path
):
    _synced_store(console, tmp_path / "kiosk", count=12)
    cli = _cli_rows(console, tmp_path / "cli.csv")
    names = {row[cli[0].index("name")] for row in cli[1:]}
    emails = {row[cli[0].index("email")] for row in cli[1:]} - {""}
    assert len(cli) == 13 and all(names) and emails

    console.add_user("olle", "organiser")
    sent: list[tuple[str, str]] = []
    page.on("request", lambda r: sent.append((r.url, r.post_data or "")))
    log_in(page, console, "olle")
    page.get_by_role("link", name="Export").click()
    saved = _browser_export(page, "signatures")
    assert saved.startswith("\ufeff".encode())
    browser_rows = list(csv.reader(io.StringIO(saved.decode("utf-8-sig"))))
    assert browser_rows == cli

    key_text = json.loads(PRIVATE_KEY.read_text())["encrypted_private_key"]
    secrets = {PASSPHRASE, key_text, *names, *emails}
    for url, body in sent:
        for secret in secrets:
            assert secret not in url and secret not in body, (url, secret)
    assert any(url.endswith("/console/export/opened") and "rows=12" in body for url, body in sent)
    page.goto(f"{console.url}/console/tallies")  # the audit line is for an admin; check rows
    with console.central.session() as session:
        from sync.server.console.audit import entries

        details = [e.detail for e in entries(session) if e.action == "export.personal"]
    assert details == ["signatures: 12 rows opened in the browser"]


def test_the_community_list_has_opted_in_signers_once_for_listmonk_and_mailchimp(
    console, page, tmp_path
):
    _synced_store(console, tmp_path / "kiosk", count=12)
    cli = _cli_rows(console, tmp_path / "cli.csv")
    header = cli[0]
    expected = {
        row[header.index("email")]
        for row in cli[1:]
        if row[header.index("community_opt_in")] == "yes" and row[header.index("email")]
    }
    console.add_user("olle", "organiser")
    log_in(page, console, "olle")
    page.goto(f"{console.url}/console/export")
    listmonk = list(
        csv.DictReader(io.StringIO(_browser_export(page, "listmonk").decode("utf-8-sig")))
    )
    assert {row["email"] for row in listmonk} == expected
    assert all(json.loads(row["attributes"])["consent_version"] for row in listmonk)
    page.goto(f"{console.url}/console/export")
    mailchimp = list(
        csv.DictReader(io.StringIO(_browser_export(page, "mailchimp").decode("utf-8-sig")))
    )
    assert {row["Email Address"] for row in mailchimp} == expected
    assert all(row["Consent Time"].endswith("Z") for row in mailchimp)


def test_a_wrong_passphrase_says_so_and_saves_nothing(console, page, tmp_path):
    _synced_store(console, tmp_path / "kiosk", count=2)
    console.add_user("olle", "organiser")
    log_in(page, console, "olle")
    page.goto(f"{console.url}/console/export")
    page.get_by_label("Privat nyckel (campaign.private.json)").set_input_files(str(PRIVATE_KEY))
    page.get_by_label("Lösenfras").fill("Development")
    downloads: list[object] = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_role("button", name="Öppna och spara").click()
    page.get_by_text("Fel lösenfras. Ingenting sparades.").wait_for(timeout=60_000)
    assert downloads == []
