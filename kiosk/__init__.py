"""Klimatavtalet kiosk: collect pledge signatures offline at market stalls."""

from kiosk import pyside_scan

__version__ = "0.1.0"

pyside_scan.install()  # where PySide6 came first (the kiosk's tests, `make bench`)
