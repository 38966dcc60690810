"""Settings of the central store: flags, else `KLIMATAVTAL_STORE_*` environment variables.

Built with pydantic-settings, so every value is checked once, at start, and
a wrong one is refused with its name. `serve` passes the flags given; the
environment fills the rest (`KLIMATAVTAL_STORE_DATABASE_URL`,
`KLIMATAVTAL_STORE_ENVIRONMENT`, `KLIMATAVTAL_STORE_CAMPAIGN_KEYS_DIR`, ...).

Outside development (`environment="production"`, or `serve --production`)
the store refuses to start with a default that would quietly expose
signers:

- no campaign keys, or the shipped DEVELOPMENT keys: kiosks enrolling there
  would seal names and emails with a key whose private half is public;
- listening on an address other than loopback over plain HTTP: device
  tokens and sealed records would cross the network readable. Give
  `ssl_certfile`/`ssl_keyfile`, or (better) listen on 127.0.0.1 behind an
  HTTPS reverse proxy.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, InstanceOf, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sync.privacy.keys import KIOSK_FILE, CampaignKeys
from sync.protocol import MAX_BODY_BYTES
from sync.server.db import default_database_url

ENV_PREFIX = "KLIMATAVTAL_STORE_"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, frozen=True, extra="forbid", arbitrary_types_allowed=True
    )

    environment: Literal["development", "production"] = "development"
    database_url: str = Field(default_factory=default_database_url)
    max_body_bytes: int = Field(default=MAX_BODY_BYTES, ge=1024)
    # Limits for the open internet (see README, "Running the store in production").
    # A body without a device token (the device API reads none at all).
    anonymous_max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # A body must be complete within 5 s plus its size at this floor rate,
    # and never take longer than body_timeout_seconds.
    body_timeout_seconds: float = Field(default=60.0, gt=0)
    body_min_bytes_per_second: int = Field(default=16 * 1024, ge=1)
    # A connection must send a request's headers this soon after it opens (or after
    # its first byte, between requests), or it is closed.
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    keep_alive_seconds: int = Field(default=5, ge=1)
    # Open connections; above it the longest-idle one is closed (or, when none is
    # idle, the new one). Lowered to what the process's file limit allows.
    max_connections: int = Field(default=2000, ge=2)
    # A folder with campaign.kiosk.json from `keys init`; read into `campaign_keys`.
    campaign_keys_dir: Path | None = None
    # Handed to kiosks at enrolment (GET /api/v1/campaign-key); never a private key.
    campaign_keys: InstanceOf[CampaignKeys] | None = None
    # Sealed personal data older than this is dropped (counts stay); None keeps it
    # for as long as the campaign runs.
    retention_days: int | None = Field(default=None, ge=1)
    # The public counter's goal (widget progress, /api/v1/stats `goal`); None: no goal.
    goal: int | None = Field(default=None, ge=1)
    # Behind a reverse proxy that terminates https: only then are X-Forwarded-For and
    # X-Forwarded-Proto believed (by the pages and by uvicorn); a client talking to the
    # store directly could otherwise claim any address or claim https.
    behind_proxy: bool = False
    # An organiser's console login ends after this long without a request.
    console_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None

    @model_validator(mode="before")
    @classmethod
    def _load_keys(cls, data: Any) -> Any:
        """Read the kiosk key file from `campaign_keys_dir` (a bad file stops the start)."""
        if (
            isinstance(data, dict)
            and data.get("campaign_keys_dir")
            and not data.get("campaign_keys")
        ):
            folder = Path(data["campaign_keys_dir"]).expanduser()
            data = {**data, "campaign_keys": CampaignKeys.load(folder / KIOSK_FILE)}
        return data

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        if (self.ssl_certfile is None) != (self.ssl_keyfile is None):
            raise ValueError("ssl_certfile and ssl_keyfile go together: give both or neither")
        if self.environment == "development":
            return self
        problems = []
        if self.campaign_keys is None:
            problems.append(
                "no campaign keys are set (campaign_keys_dir): kiosks enrolling here would "
                "seal names and emails with the DEVELOPMENT key, which protects nothing"
            )
        elif self.campaign_keys.development:
            problems.append(
                "the campaign keys are the DEVELOPMENT ones: make real ones with `keys init`"
            )
        if not is_loopback(self.host) and self.ssl_certfile is None:
            problems.append(
                f"listening on {self.host} over plain http would send device tokens readable: "
                "listen on 127.0.0.1 behind an HTTPS reverse proxy, or give ssl_certfile and "
                "ssl_keyfile"
            )
        if problems:
            raise ValueError("refusing to run in production: " + "; ".join(problems))
        return self
