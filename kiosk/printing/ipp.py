"""Just enough IPP to ask the local CUPS about a printer and a job.

`lpstat` lists a cancelled job among the completed ones and hides why a
printer stopped, so the state comes from CUPS itself: a Get-Printer-Attributes
or Get-Job-Attributes request (RFC 8011) over HTTP to the local scheduler.
"""

from __future__ import annotations

import http.client
import os
import struct
from typing import Any

GET_JOB_ATTRIBUTES = 0x0009
GET_PRINTER_ATTRIBUTES = 0x000B
_TAG_OPERATION = 0x01
_TAG_END = 0x03
_INTEGER, _BOOLEAN, _ENUM = 0x21, 0x22, 0x23
_URI, _CHARSET, _LANGUAGE, _NAME, _KEYWORD = 0x45, 0x47, 0x48, 0x42, 0x44
STATUS_NOT_FOUND = 0x0406


class IppError(OSError):
    """CUPS could not be reached or answered with an error status."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def _server() -> tuple[str, int]:
    """CUPS_SERVER when it names a host (not a socket path), else the local scheduler."""
    server = os.environ.get("CUPS_SERVER", "")
    if server and not server.startswith("/"):
        host, _, port = server.partition(":")
        return host, int(port or 631)
    return "127.0.0.1", 631


def _attribute(tag: int, name: str, value: bytes) -> bytes:
    encoded = name.encode()
    return struct.pack(">BH", tag, len(encoded)) + encoded + struct.pack(">H", len(value)) + value


def _request(operation: int, path: str, attributes: list[tuple[int, str, bytes]]) -> dict[str, Any]:
    body = struct.pack(">HHI", 0x0101, operation, 1) + bytes([_TAG_OPERATION])
    body += _attribute(_CHARSET, "attributes-charset", b"utf-8")
    body += _attribute(_LANGUAGE, "attributes-natural-language", b"en")
    for tag, name, value in attributes:
        body += _attribute(tag, name, value)
    body += bytes([_TAG_END])
    host, port = _server()
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.request("POST", path, body, {"Content-Type": "application/ipp"})
        response = connection.getresponse()
        payload = response.read()
    except OSError as exc:
        raise IppError(f"CUPS at {host}:{port} is not reachable: {exc}") from exc
    finally:
        connection.close()
    if response.status != 200 or len(payload) < 8:
        raise IppError(f"CUPS answered HTTP {response.status}")
    status = struct.unpack(">H", payload[2:4])[0]
    if status >= 0x0400:
        raise IppError(f"CUPS answered IPP status 0x{status:04x}", status)
    return _parse(payload[8:])


def _parse(data: bytes) -> dict[str, list[Any]]:
    attributes: dict[str, list[Any]] = {}
    name = ""
    offset = 0
    while offset < len(data):
        tag = data[offset]
        offset += 1
        if tag == _TAG_END:
            break
        if tag < 0x10:  # the start of another attribute group
            continue
        (name_length,) = struct.unpack(">H", data[offset : offset + 2])
        offset += 2
        if name_length:
            name = data[offset : offset + name_length].decode()
        offset += name_length
        (value_length,) = struct.unpack(">H", data[offset : offset + 2])
        offset += 2
        raw = data[offset : offset + value_length]
        offset += value_length
        if tag in (_INTEGER, _ENUM) and value_length == 4:
            value: Any = struct.unpack(">i", raw)[0]
        elif tag == _BOOLEAN:
            value = raw != b"\x00"
        else:
            value = raw.decode("utf-8", "replace")
        attributes.setdefault(name, []).append(value)
    return attributes


def printer_attributes(printer: str) -> dict[str, list[Any]]:
    uri = f"ipp://localhost/printers/{printer}".encode()
    wanted = (
        "printer-state",
        "printer-state-reasons",
        "printer-state-message",
        "printer-is-accepting-jobs",
    )
    return _request(
        GET_PRINTER_ATTRIBUTES,
        f"/printers/{printer}",
        [(_URI, "printer-uri", uri)]
        + [
            (_KEYWORD, "requested-attributes" if i == 0 else "", w.encode())
            for i, w in enumerate(wanted)
        ],
    )


def job_attributes(job_id: int) -> dict[str, list[Any]]:
    return _request(
        GET_JOB_ATTRIBUTES,
        "/jobs/",
        [
            (_URI, "job-uri", f"ipp://localhost/jobs/{job_id}".encode()),
            (_KEYWORD, "requested-attributes", b"job-state"),
            (_KEYWORD, "", b"job-state-reasons"),
            (_KEYWORD, "", b"job-printer-state-reasons"),
        ],
    )
