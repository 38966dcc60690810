"""Campaign keys: made with a passphrase, imported by a kiosk, the development key flagged."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from sync.privacy.keys import (
    KIOSK_FILE,
    PRIVATE_FILE,
    CampaignKeyError,
    CampaignKeys,
    CampaignPrivateKey,
    development_keys,
    init_keys,
)
from tests.sealed import DEV_PRIVATE

ROOT = Path(__file__).resolve().parents[2]
FAST = {"opslimit": 2, "memlimit": 8 * 1024 * 1024}


def test_keys_init_on_the_command_line_asks_and_never_writes_the_passphrase(tmp_path):
    out = tmp_path / "keys"
    result = subprocess.run(
        [sys.executable, "main.py", "keys", "init", "--out", str(out)],
        cwd=ROOT,
        input="correct horse battery\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    keys = CampaignKeys.load(out / KIOSK_FILE)
    assert not keys.development
    private_text = (out / PRIVATE_FILE).read_text()
    assert "correct horse" not in private_text
    assert (out / PRIVATE_FILE).stat().st_mode & 0o077 == 0
    private = CampaignPrivateKey.load(out / PRIVATE_FILE, "correct horse battery")
    assert private.open(keys.seal({"name": "Åsa"})) == {"name": "Åsa"}
    with pytest.raises(CampaignKeyError, match="wrong passphrase"):
        CampaignPrivateKey.load(out / PRIVATE_FILE, "correct horse batterY")
    again = subprocess.run(
        [sys.executable, "main.py", "keys", "init", "--out", str(out)],
        cwd=ROOT,
        input="correct horse battery\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 2 and "refusing to overwrite" in again.stderr


def test_a_short_passphrase_is_refused(tmp_path):
    with pytest.raises(CampaignKeyError, match="at least"):
        init_keys(tmp_path, "short", **FAST)
    assert not list(tmp_path.iterdir())


def test_the_development_key_opens_with_its_documented_passphrase():
    keys = development_keys()
    assert keys.development
    private = CampaignPrivateKey.load(DEV_PRIVATE, "development")
    assert private.open(keys.seal({"email": "a@b.se"})) == {"email": "a@b.se"}


def test_another_campaign_key_cannot_open_a_sealed_record(tmp_path):
    other = init_keys(tmp_path, "another passphrase", **FAST)
    sealed = other.seal({"name": "Nils"})
    with pytest.raises(CampaignKeyError, match="another campaign key"):
        CampaignPrivateKey.load(DEV_PRIVATE, "development").open(sealed)


def test_email_hmac_is_the_same_for_the_same_address_typed_differently():
    keys = development_keys()
    assert keys.email_hmac(" Åsa@Exempel.SE ") == keys.email_hmac("åsa@exempel.se")
    assert keys.email_hmac("a\u030asa@exempel.se") == keys.email_hmac("åsa@exempel.se")  # NFC
    assert keys.email_hmac("other@exempel.se") != keys.email_hmac("åsa@exempel.se")
    assert keys.email_hmac(None) is None


def test_a_kiosk_uses_the_development_key_until_one_is_imported(tmp_path, capsys):
    data = tmp_path / "kiosk"
    assert main(["status", "--data-dir", str(data)]) == 0
    assert "DEVELOPMENT key" in capsys.readouterr().out
    init_keys(tmp_path / "campaign", "a good passphrase", **FAST)
    assert (
        main(["keys", "import", "--data-dir", str(data), str(tmp_path / "campaign" / KIOSK_FILE)])
        == 0
    )
    capsys.readouterr()
    assert main(["status", "--data-dir", str(data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sealing_key_is_development"] is False
    assert (
        main(["keys", "import", "--data-dir", str(data), str(tmp_path / "campaign" / PRIVATE_FILE)])
        == 2
    )


def test_passphrase_from_stdin_when_it_is_not_a_terminal(monkeypatch):
    from sync.privacy.passphrase import ask_passphrase

    monkeypatch.setattr(sys, "stdin", io.StringIO("secret words\nignored\n"))
    assert ask_passphrase(confirm=True) == "secret words"
