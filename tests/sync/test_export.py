"""The organisers' CSV export opens safely in a spreadsheet."""

from __future__ import annotations

import csv
import io
import sys

import pytest

from kiosk.cli import main
from sync.privacy.keys import init_keys
from tests.sealed import DEV_PRIVATE
from tests.sync.records import batch_json, event_json, record_json

UPLOAD = "/api/v1/signatures"


def test_export_is_utf8_bom_and_formula_safe(sqlite_live_store, tmp_path, capsys, monkeypatch):
    token = sqlite_live_store.add_device()
    event = event_json(name="Råå hamnmarknad")
    batch = batch_json(0, event=event) | {
        "records": [
            record_json(event["id"], name='=HYPERLINK("http://evil.example","klicka")'),
            record_json(event["id"], name="+46 700 00 00"),
            record_json(event["id"], name="-Åsa", email="@example.se"),
            record_json(event["id"], name="Zoë O'Brien-Åkesson"),
        ]
    }
    other = batch_json(2, event=event_json(name="Knutpunkten"))
    with sqlite_live_store.client(token) as http:
        assert http.post(UPLOAD, json=batch).status_code == 200
        assert http.post(UPLOAD, json=other).status_code == 200
    out = tmp_path / "signatures.csv"
    database = ["--database-url", sqlite_live_store.database_url]
    key = ["--private-key", str(DEV_PRIVATE)]
    monkeypatch.setattr(sys, "stdin", io.StringIO("development\n"))
    assert main(["export", "--out", str(out), "--event", "Råå hamnmarknad", *key, *database]) == 0
    assert "Wrote 4 signatures" in capsys.readouterr().out
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = sorted(row["name"] for row in rows)
    assert names == sorted(
        [
            '\'=HYPERLINK("http://evil.example","klicka")',
            "'+46 700 00 00",
            "'-Åsa",
            "Zoë O'Brien-Åkesson",
        ]
    )
    assert {row["email"] for row in rows if row["name"] == "'-Åsa"} == {"'@example.se"}
    assert {row["event"] for row in rows} == {"Råå hamnmarknad"}
    assert rows[0]["commitments"] == "bike-short-trips; less-food-waste"

    assert main(["export", "--out", str(out), *database]) == 0
    assert "Wrote 6 signatures" in capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert not {"name", "email", "postcode"} & set(header)  # sealed: not without the key
    assert "postcode_area" in header
    assert main(["export", "--out", str(out), "--event", "Nowhere", *database]) == 2
    assert "no event named 'Nowhere'" in capsys.readouterr().err


def test_every_formula_start_owasp_lists_is_escaped():
    from sync.server.export import safe_cell

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Åsa") == "Åsa"
    assert safe_cell(None) == "" and safe_cell(True) == "yes"


# What spreadsheets skip before reading a formula: spaces of every kind (no-break,
# thin, ideographic), line breaks, zero-width characters and a byte order mark.
HIDDEN_PREFIXES = (
    "\u00a0",
    "\n",
    "\r\n",
    " \t ",
    "\u2028",
    "\u2029",
    "\u2009",
    "\u3000",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00a0\u200b\n",
)
WIDE_STARTS = ("\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63")


@pytest.mark.parametrize("prefix", HIDDEN_PREFIXES)
@pytest.mark.parametrize("start", ["=", "+", "-", "@", *WIDE_STARTS])
def test_a_formula_behind_what_spreadsheets_strip_is_escaped(prefix, start):
    from sync.server.export import safe_cell

    text = f"{prefix}{start}HYPERLINK(1)"
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("start", WIDE_STARTS)
def test_full_width_formula_signs_are_escaped_like_their_ascii_twins(start):
    from sync.server.export import safe_cell

    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_names_with_odd_spaces_are_left_alone():
    from sync.server.export import safe_cell

    for text in ("\u00a0Åsa", "Anna-Lena", "\u200bZoë", "O'Brien", " 252 21", "a=b"):
        assert safe_cell(text) == text


def test_export_with_the_wrong_passphrase_or_key_fails_clearly_and_writes_nothing(
    sqlite_live_store, tmp_path, capsys, monkeypatch
):
    token = sqlite_live_store.add_device()
    with sqlite_live_store.client(token) as http:
        assert http.post(UPLOAD, json=batch_json(2)).status_code == 200
    out = tmp_path / "signatures.csv"
    database = ["--database-url", sqlite_live_store.database_url]
    monkeypatch.setattr(sys, "stdin", io.StringIO("Development\n"))
    assert main(["export", "--out", str(out), "--private-key", str(DEV_PRIVATE), *database]) == 2
    assert "wrong passphrase" in capsys.readouterr().err
    assert not out.exists()

    init_keys(tmp_path / "other", "another campaign", opslimit=2, memlimit=8 * 1024 * 1024)
    other = tmp_path / "other" / "campaign.private.json"
    monkeypatch.setattr(sys, "stdin", io.StringIO("another campaign\n"))
    assert main(["export", "--out", str(out), "--private-key", str(other), *database]) == 2
    error = capsys.readouterr().err
    assert "sealed with another campaign key" in error and "nothing was written" in error
    assert not out.exists()


def test_records_another_key_sealed_are_named_and_the_rest_exported(
    sqlite_live_store, tmp_path, capsys, monkeypatch
):
    """A kiosk that signed before `keys import` must not stop every export."""
    import base64

    from sync.privacy.keys import CampaignKeys
    from sync.privacy.sealing import personal_document

    init_keys(tmp_path / "other", "another campaign", opslimit=2, memlimit=8 * 1024 * 1024)
    other = CampaignKeys.load(tmp_path / "other" / "campaign.kiosk.json")
    stray = other.seal(personal_document(name="Otto", email=None, postcode=None, strokes=[]))
    good_token = sqlite_live_store.add_device("laptop-1")
    early_token = sqlite_live_store.add_device("laptop-early")
    event = event_json(name="Råå hamnmarknad")
    strays = [
        record_json(event["id"], sealed=base64.b64encode(stray).decode("ascii")) for _ in range(2)
    ]
    with sqlite_live_store.client(good_token) as http:
        assert http.post(UPLOAD, json=batch_json(3, event=event)).status_code == 200
    with sqlite_live_store.client(early_token) as http:
        early = batch_json(0, event=event) | {"records": strays}
        assert http.post(UPLOAD, json=early).status_code == 200

    out = tmp_path / "signatures.csv"
    database = ["--database-url", sqlite_live_store.database_url]
    monkeypatch.setattr(sys, "stdin", io.StringIO("development\n"))
    assert main(["export", "--out", str(out), "--private-key", str(DEV_PRIVATE), *database]) == 3
    captured = capsys.readouterr()
    assert "Wrote 3 signatures" in captured.out
    for record in strays:
        assert f"{record['id']} (kiosk laptop-early," in captured.err
    assert "2 records could not be opened" in captured.err
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["name"] for row in rows) == ["Signer 0", "Signer 1", "Signer 2"]
    report = tmp_path / "signatures.unopened.csv"
    with report.open(encoding="utf-8-sig", newline="") as handle:
        listed = list(csv.DictReader(handle))
    assert sorted(row["id"] for row in listed) == sorted(r["id"] for r in strays)
    assert {row["device"] for row in listed} == {"laptop-early"}
    assert {row["event"] for row in listed} == {"Råå hamnmarknad"}

    # Once those records are gone (erased, say), the export is whole and the report goes.
    for record in strays:
        assert main(["erase", "--code", record["withdrawal_code"], *database]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("development\n"))
    assert main(["export", "--out", str(out), "--private-key", str(DEV_PRIVATE), *database]) == 0
    assert not report.exists()
