"""sync/ is the contract between the two ends: it must deploy without the kiosk or Qt."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, json, pkgutil, sys
import sync
names = [m.name for m in pkgutil.walk_packages(sync.__path__, "sync.")
         if ".migrations" not in m.name]
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("kiosk", "PySide6", "shiboken6"))
print(json.dumps({"imported": names, "leaked": leaked}))
"""


def test_no_sync_module_imports_the_kiosk_or_qt():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert "sync.server.app" in found["imported"]
    assert "sync.privacy.keys" in found["imported"]
    assert found["leaked"] == []
