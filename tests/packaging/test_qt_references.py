"""The Qt binding must not leak references to None, True and False.

PySide6 6.12.0 takes a reference off None on every method that returns
nothing and off True/False on every Signal(bool).emit. On Python 3.11 these
objects are not immortal: after a few hundred signers the count reaches
zero and the kiosk aborts mid-signature. pyproject.toml excludes that
release; this test stops any future upgrade that brings the bug back.
"""

from __future__ import annotations

import subprocess
import sys

MANY_CALLS = """
import gc, sys
from PySide6.QtCore import QObject, QPointF, Signal
from PySide6.QtGui import QPainterPath

class Switch(QObject):
    flipped = Signal(bool)

switch = Switch()
switch.flipped.connect(lambda on: None)
path = QPainterPath(QPointF(0, 0))
gc.collect()
gc.disable()  # a collection in the loop could free an older object that held None
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for i in range(100_000):  # far more than None's or True's own count in a fresh process
    switch.setObjectName("x")
    path.lineTo(i, i)
    switch.flipped.emit(True)
print(none_before - sys.getrefcount(None), true_before - sys.getrefcount(True))
"""


def test_many_void_qt_calls_neither_crash_nor_lose_references():
    result = subprocess.run(
        [sys.executable, "-c", MANY_CALLS], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    lost_none, lost_true = (int(n) for n in result.stdout.split())
    if sys.version_info < (3, 12):  # on 3.12+ the counts of immortal objects mean nothing
        assert (lost_none, lost_true) == (0, 0)
