"""Klimatavtalet kiosk: collect pledge signatures offline at market stalls."""

__version__ = "0.1.0"

# Before anything imports PySide6: see kiosk/none_guard.py (Python 3.11 only).
from kiosk.none_guard import guard_none  # noqa: E402

guard_none()
