"""A cheaper answer to the question PySide6 asks of every module imported after it.

Once PySide6.QtCore is loaded, PySide checks each newly imported module for
the text "PySide6" (for its opt-in `__feature__` switches, PYSIDE-2029) by
reading it with `inspect.getsource`, which tokenizes the file to find its
encoding and fills linecache: ~0.12 ms a module, ~10 ms of the ~90 modules
the attract screen's first frame imports. Reading the file's bytes gives the
same answer (the source is UTF-8 or another ASCII superset) in a fraction of
that. Qt-free: this only replaces a function in PySide's support module if
PySide6 is already loaded, and keeps PySide's own for anything but a .py file.
"""

from __future__ import annotations

import sys
from types import ModuleType


def install() -> None:
    """Use `uses_pyside` for PySide's check from now on (once; no-op without PySide6)."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "_reads_bytes", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    uses_pyside._reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]
