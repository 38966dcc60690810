"""Withdrawal codes, for the kiosk's screens and receipts.

The codes are a primitive both ends share (`sync.privacy.withdrawal`);
this name stays for the screen and document modules that import it here.
"""

from sync.privacy.withdrawal import code_for, display_code, normalise_code, withdrawal_url

__all__ = ["code_for", "display_code", "normalise_code", "withdrawal_url"]
