"""Keep Python 3.11 alive under PySide6 6.12's lost references to None, True and False.

PySide6 6.12 hands back None from every method that returns nothing
(`setText`, `update`, `QPainterPath.lineTo`, …) without counting the
reference, and `Signal(bool).emit(True)` from Python loses one on True or
False the same way. On Python 3.12 and later these objects are immortal
and nothing happens. On 3.11 each call takes one off the object's reference
count (None starts near 5,000 in a fresh Qt process); after a few hundred
signatures it reaches zero and the interpreter aborts ("none_dealloc",
"bool_dealloc"): the kiosk would vanish mid-signature at a stall.
`tests/test_none_guard.py` measures the loss and checks the guard.

The guard lifts the three counts once, far beyond anything a process can
spend (2**48 calls). They are static objects that are never freed, so the
count has no other use. Remove this module when the app runs on Python
>= 3.12 or on a PySide6 that counts these references again.
"""

from __future__ import annotations

import ctypes
import sys

HEADROOM = 1 << 48
_guarded = False


def guard_none() -> None:
    """Lift the singletons' reference counts once per process (no-op on Python >= 3.12)."""
    global _guarded
    if _guarded or sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += HEADROOM
    _guarded = True
