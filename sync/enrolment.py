"""Enrolment codes: `klimatavtal-enrol:?server=URL&token=TOKEN`, in a QR code or typed.

`devices add --server URL` prints one; the kiosk (`enroll --code`, or the
volunteer panel's scanner) reads it back. Both ends use this module, so the
kiosk never needs the server's code to read a code. `enroll` then checks
the token with the store and hands what it learnt to the kiosk's outbox.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from pydantic import ValidationError

from sync.client import request_headers
from sync.outbox import Outbox
from sync.privacy.keys import CampaignKeyError, CampaignKeys
from sync.problems import (
    UNREADABLE_ANSWER,
    ProblemKind,
    SyncError,
    SyncProblem,
    problem_for_status,
    problem_for_transport,
)
from sync.protocol import API_PREFIX, DeviceInfo

ENROLMENT_SCHEME = "klimatavtal-enrol"


def enrolment_string(server_url: str, token: str) -> str:
    """What `devices add --server URL` puts in its QR code for the kiosk to scan."""
    return f"{ENROLMENT_SCHEME}:?{urlencode({'server': server_url, 'token': token})}"


def parse_enrolment_string(text: str) -> tuple[str, str]:
    """(server URL, token) from an enrolment string; ValueError when it is not one."""
    parts = urlsplit(text.strip())
    query = parse_qs(parts.query)
    if parts.scheme != ENROLMENT_SCHEME or "server" not in query or "token" not in query:
        raise ValueError("not a Klimatavtalet enrolment code")
    return query["server"][0], query["token"][0]


class EnrolmentError(SyncError):
    """Enrolment failed; `problem.kind` picks the volunteer's words, the message is English."""


def enroll(
    outbox: Outbox,
    *,
    server_url: str,
    token: str,
    transport: httpx.BaseTransport | None = None,
    timeout: httpx.Timeout | float = 10.0,
) -> str:
    """Check the token with the store and remember both; returns the device's name."""
    server_url = server_url.strip().rstrip("/")
    if not server_url.startswith(("http://", "https://")):
        raise EnrolmentError(
            SyncProblem(
                ProblemKind.BAD_ADDRESS, "The server address must start with http:// or https://"
            )
        )
    token = token.strip()
    try:
        with httpx.Client(
            base_url=server_url,
            timeout=timeout,
            transport=transport,
            headers=request_headers(token),
        ) as http:
            response = http.get(f"{API_PREFIX}/devices/me")
            if response.status_code != 200:
                raise EnrolmentError(problem_for_status(response))
            try:
                device = DeviceInfo.model_validate_json(response.content)
            except ValidationError as exc:
                raise EnrolmentError(UNREADABLE_ANSWER) from exc
            keys = _campaign_keys_from(http)
    except httpx.TransportError as exc:
        raise EnrolmentError(problem_for_transport(exc)) from exc
    outbox.enrol(server_url=server_url, token=token, keys=keys)
    return device.name


def _campaign_keys_from(http: httpx.Client) -> CampaignKeys | None:
    """The campaign key the store hands out, or None when it has none (`keys import`).

    Asked on the enrolling client, so it shares its connection, token and errors."""
    response = http.get(f"{API_PREFIX}/campaign-key")
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise EnrolmentError(problem_for_status(response))
    try:
        return CampaignKeys.from_json(response.json())
    except (CampaignKeyError, ValueError) as exc:
        raise EnrolmentError(
            SyncProblem(ProblemKind.PROTOCOL, f"The store's campaign key is not usable: {exc}")
        ) from exc
