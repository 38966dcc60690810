"""Klimatavtalet kiosk: collect pledge signatures offline at market stalls."""

__version__ = "0.1.0"
