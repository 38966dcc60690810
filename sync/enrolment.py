"""Enrolment codes: `klimatavtal-enrol:?server=URL&token=TOKEN`, in a QR code or typed.

`devices add --server URL` prints one; the kiosk (`enroll --code`, or the
volunteer panel's scanner) reads it back. Both ends use this module, so the
kiosk never needs the server's code to read a code.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

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
