"""States a cups-pdf queue cannot show (out of paper, offline), from a stand-in scheduler.

A small IPP responder on 127.0.0.1 answers Get-Printer-Attributes the way
CUPS does for a real printer in trouble; kiosk.printing talks to it through
CUPS_SERVER exactly as it talks to cupsd.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.i18n import Translator
from kiosk.printing import cups


def _attribute(tag: int, name: str, value: bytes) -> bytes:
    return (
        struct.pack(">BH", tag, len(name)) + name.encode() + struct.pack(">H", len(value)) + value
    )


def printer_response(state: int, reasons: list[str], accepting: bool = True) -> bytes:
    body = struct.pack(">HHI", 0x0101, 0x0000, 1) + b"\x01"
    body += _attribute(0x47, "attributes-charset", b"utf-8")
    body += _attribute(0x48, "attributes-natural-language", b"en")
    body += b"\x04"  # printer attributes group
    body += _attribute(0x23, "printer-state", struct.pack(">i", state))
    for index, reason in enumerate(reasons):
        body += _attribute(0x44, "printer-state-reasons" if index == 0 else "", reason.encode())
    body += _attribute(0x22, "printer-is-accepting-jobs", b"\x01" if accepting else b"\x00")
    return body + b"\x03"


@pytest.fixture
def scheduler(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """Set `answer["printer"]` to the IPP response the stand-in sends."""
    answer: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            payload = answer["printer"]
            self.send_response(200)
            self.send_header("Content-Type", "application/ipp")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("CUPS_SERVER", f"127.0.0.1:{server.server_address[1]}")
    yield answer
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("state", "reasons", "accepting", "message"),
    [
        (
            5,
            ["media-empty-error"],
            True,
            "Skrivaren Kassan har slut på papper. Fyll på och försök igen.",
        ),
        (
            3,
            ["media-needed-warning"],
            True,
            "Skrivaren Kassan har slut på papper. Fyll på och försök igen.",
        ),
        (
            3,
            ["offline-report"],
            True,
            "Skrivaren Kassan är stoppad eller offline. Kontrollera att den är på och ansluten.",
        ),
        (
            5,
            ["paused"],
            True,
            "Skrivaren Kassan är stoppad eller offline. Kontrollera att den är på och ansluten.",
        ),
        (3, ["none"], False, "Skrivaren Kassan tar inte emot utskrifter just nu."),
    ],
)
def test_a_printer_in_trouble_gets_a_message_that_says_what_to_do(
    scheduler: dict[str, bytes], state: int, reasons: list[str], accepting: bool, message: str
) -> None:
    scheduler["printer"] = printer_response(state, reasons, accepting)

    with pytest.raises(cups.PrintError) as error:
        cups.check_printer("Kassan")

    assert error.value.message(Translator(language="sv")) == message


def test_an_idle_printer_passes(scheduler: dict[str, bytes]) -> None:
    scheduler["printer"] = printer_response(3, ["none"])

    cups.check_printer("Kassan")


def test_no_scheduler_at_all_is_its_own_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")  # discard port: nothing listens

    with pytest.raises(cups.PrintError) as error:
        cups.check_printer("Kassan")

    assert error.value.message(Translator(language="en")) == (
        "This computer has no print system (CUPS) running."
    )
