"""Where the thank-you screen's QR code and the receipt send a signer who withdraws."""

from __future__ import annotations

from pathlib import Path

from kiosk.content import DEFAULT_CONTENT_FILE, load_content
from sync.privacy.withdrawal import withdrawal_page, withdrawal_url


def test_the_enrolled_store_takes_withdrawals_unless_the_content_file_names_a_page():
    website = "https://klimatavtalet.se/"
    store = "https://insamling.klimatavtalet.se/"
    assert withdrawal_page(None, store, website) == "https://insamling.klimatavtalet.se/aterkalla"
    assert withdrawal_page(None, None, website) == "https://klimatavtalet.se/aterkalla"
    own = "https://klimatavtalet.se/ta-tillbaka"
    assert withdrawal_page(own, store, website) == own
    page = withdrawal_page(None, store, website)
    assert withdrawal_url(page, "WTZPPKFGXF") == f"{page}?kod=WTZPP-KFGXF"


def test_the_content_file_may_name_the_withdrawal_page(tmp_path: Path):
    assert load_content().campaign.withdrawal_url is None  # shipped: the store's own page
    text = DEFAULT_CONTENT_FILE.read_text(encoding="utf-8").replace(
        "# withdrawal_url = ", "withdrawal_url = "
    )
    changed = tmp_path / "pledge.toml"
    changed.write_text(text, encoding="utf-8")
    assert load_content(changed).campaign.withdrawal_url == "https://klimatavtalet.se/aterkalla"
