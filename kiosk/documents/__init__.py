"""Printable documents as PDF bytes: flyers, receipts and summaries.

Plain functions from data to PDF, built with reportlab. No Qt here, so the
command line, the tests and the kiosk's print worker all make the very same
files; kiosk/printing only sends finished PDFs to a printer.
"""

from kiosk.documents.flyer import FLYER_LAYOUTS, FlyerOptions, make_flyer
from kiosk.documents.output import write_atomically
from kiosk.documents.qr import tracked_url
from kiosk.documents.receipt import RECEIPT_SIZES, make_receipt
from kiosk.documents.summaries import SummaryError, build_summary
from kiosk.documents.summary import make_summary

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
