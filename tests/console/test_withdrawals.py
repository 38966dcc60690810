"""Withdrawals: an admin erases by withdrawal code, and by email with the HMAC made in
the browser (WebCrypto, the campaign's HMAC key): the address itself never travels."""

from __future__ import annotations

import json

from sqlalchemy import select

from sync.privacy.keys import DEVELOPMENT_KIOSK_KEYS, development_keys
from sync.privacy.withdrawal import code_for, display_code
from sync.server.console.audit import entries
from sync.server.models import StoredSignature
from tests.console.conftest import log_in
from tests.console.test_export import _synced_store

EMAIL = "signer3@example.se"  # fill_pending gives odd-numbered signers an address


def _stored(console) -> list[StoredSignature]:  # type: ignore[no-untyped-def]
    with console.central.session() as session:
        return list(session.scalars(select(StoredSignature)))


def _erasures(console) -> list[str]:  # type: ignore[no-untyped-def]
    with console.central.session() as session:
        return [e.detail for e in reversed(entries(session)) if e.action == "erasure"]


def test_erase_by_code_and_by_email_hashed_in_the_browser(console, page, tmp_path):
    _synced_store(console, tmp_path / "kiosk", count=6)
    email_hmac = development_keys().email_hmac(EMAIL)
    by_email = [s.id for s in _stored(console) if s.email_hmac == email_hmac]
    by_code = next(s for s in _stored(console) if s.email_hmac != email_hmac)
    assert len(by_email) == 1
    keys_file = tmp_path / "campaign.kiosk.json"
    keys_file.write_text(json.dumps(DEVELOPMENT_KIOSK_KEYS))

    console.add_user("ada", "admin")
    sent: list[tuple[str, str]] = []
    page.on("request", lambda r: sent.append((r.url, r.post_data or "")))
    log_in(page, console, "ada")
    page.get_by_role("navigation").get_by_role("link", name="Återkallelser").click()

    page.get_by_label("Återkallelsekod").fill("QQQQQ-QQQQQ")
    page.locator("form", has=page.locator("#code")).get_by_role("button", name="Radera").click()
    assert "Det är ingen återkallelsekod" in page.locator("#erase-error").inner_text()
    unknown = display_code(code_for("00000000-0000-4000-8000-000000000000"))
    page.get_by_label("Återkallelsekod").fill(unknown)  # well-formed, but no one's
    page.locator("form", has=page.locator("#code")).get_by_role("button", name="Radera").click()
    assert "Ingen underskrift matchar" in page.locator("#erase-error").inner_text()
    assert len(_stored(console)) == 6
    page.get_by_label("Återkallelsekod").fill(display_code(by_code.withdrawal_code).lower())
    page.locator("form", has=page.locator("#code")).get_by_role("button", name="Radera").click()
    assert page.locator("#erase-result").inner_text().startswith("1 underskrift(er) raderade")
    assert by_code.id not in {s.id for s in _stored(console)}

    page.get_by_label("Kampanjens kiosknyckel").set_input_files(str(keys_file))
    page.get_by_label("E-postadress").fill("  Signer3@Example.SE ")  # typed as people do
    # The page hashes the address in the browser, then posts: wait for that answer,
    # not for the previous erase's result still on the page.
    with page.expect_navigation():
        page.locator("#email-form").get_by_role("button", name="Radera").click()
    page.locator("#erase-result").wait_for()
    left = {s.id for s in _stored(console)}
    assert len(left) == 4 and by_email[0] not in left

    for url, body in sent:
        assert "signer3" not in (url + body).lower() and "example.se" not in (url + body).lower()
    assert any(f"email_hmac={email_hmac}" in body for _url, body in sent)
    assert _erasures(console) == [
        f"code {display_code(by_code.withdrawal_code)}: 1 signature(s)",
        "by email: 1 signature(s)",
    ]
    listed = page.locator("#erasures tbody tr").all_inner_texts()
    assert "by email: 1 signature(s)" in listed[0] and "code " in listed[1]
    assert EMAIL not in page.content()
