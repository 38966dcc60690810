"""The store's settings: from flags or the environment, unsafe ones refused outside development."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from sync.privacy.keys import KIOSK_FILE, development_keys, init_keys
from sync.protocol import API_PREFIX
from sync.server.app import create_app
from sync.server.dependencies import get_settings
from sync.server.settings import Settings
from tests.sync.conftest import ServerThread


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'from-env.sqlite3'}"
    monkeypatch.setenv("KLIMATAVTAL_STORE_DATABASE_URL", url)
    monkeypatch.setenv("KLIMATAVTAL_STORE_RETENTION_DAYS", "30")
    settings = Settings()
    assert settings.database_url == url
    assert settings.retention_days == 30
    assert Settings(retention_days=7).retention_days == 7  # a flag wins


def test_production_refuses_missing_or_development_keys(tmp_path):
    with pytest.raises(ValidationError, match="no campaign keys"):
        Settings(environment="production", database_url="sqlite://")
    with pytest.raises(ValidationError, match="DEVELOPMENT ones"):
        Settings(
            environment="production", database_url="sqlite://", campaign_keys=development_keys()
        )


def test_production_refuses_plain_http_on_a_public_address(tmp_path):
    init_keys(tmp_path, "a long passphrase", opslimit=1, memlimit=8192)
    base = {"environment": "production", "database_url": "sqlite://", "campaign_keys_dir": tmp_path}
    assert Settings(**base).campaign_keys is not None  # loopback, behind a proxy: fine
    with pytest.raises(ValidationError, match="plain http"):
        Settings(**base, host="0.0.0.0")
    cert = tmp_path / "cert.pem"
    assert Settings(**base, host="0.0.0.0", ssl_certfile=cert, ssl_keyfile=cert).host == "0.0.0.0"


def test_a_damaged_key_file_stops_the_start(tmp_path):
    (tmp_path / KIOSK_FILE).write_text("{}")
    with pytest.raises(ValidationError, match="not a campaign key file"):
        Settings(database_url="sqlite://", campaign_keys_dir=tmp_path)


def test_a_test_can_override_a_dependency(tmp_path: Path):
    """The app reads everything through dependencies, so one can be swapped per app."""
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 's.sqlite3'}"))
    keyed = Settings(database_url="sqlite://", campaign_keys=development_keys())
    app.dependency_overrides[get_settings] = lambda: keyed
    with ServerThread(app) as url:
        from sync.server.devices import add_device

        with app.state.store.session() as session:
            _device, token = add_device(session, name="k")
            session.commit()
        answer = httpx.get(
            f"{url}{API_PREFIX}/campaign-key", headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 200
    assert answer.json()["development"] is True
