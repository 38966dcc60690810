"""Printable documents as PDF bytes: flyers, receipts and summaries.

Plain functions from data to PDF, built with reportlab. No Qt here, so the
command line, the tests and the kiosk's print worker all make the very same
files; kiosk/printing only sends finished PDFs to a printer.

The names below load their module on first use (PEP 562): the kiosk's GUI
thread imports `kiosk.documents.output` while it builds the screens, and
must not load reportlab and the summary's SQLAlchemy with it — that froze
the attract screen for a second after its first frame.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.documents.flyer import FLYER_LAYOUTS, FlyerOptions, make_flyer
    from kiosk.documents.output import write_atomically
    from kiosk.documents.qr import tracked_url
    from kiosk.documents.receipt import RECEIPT_SIZES, make_receipt
    from kiosk.documents.summaries import SummaryError, build_summary
    from kiosk.documents.summary import make_summary

_MODULE_OF = {
    "FLYER_LAYOUTS": "flyer",
    "FlyerOptions": "flyer",
    "make_flyer": "flyer",
    "write_atomically": "output",
    "tracked_url": "qr",
    "RECEIPT_SIZES": "receipt",
    "make_receipt": "receipt",
    "SummaryError": "summaries",
    "build_summary": "summaries",
    "make_summary": "summary",
}

__all__ = [
    "FLYER_LAYOUTS",
    "RECEIPT_SIZES",
    "FlyerOptions",
    "SummaryError",
    "build_summary",
    "make_flyer",
    "make_receipt",
    "make_summary",
    "tracked_url",
    "write_atomically",
]


def __getattr__(name: str) -> object:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
