"""kiosk.pyside_scan: PySide's check of each imported module, answered from its bytes."""

from __future__ import annotations

import inspect
import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads PySide's support module

from kiosk import content, pyside_scan
from kiosk.ui import common


def pysides_own_answer(module: ModuleType) -> bool:
    """What shibokensupport.feature's `_mod_uses_pyside` answers (PySide 6.11)."""
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


def test_every_loaded_module_gets_the_answer_pyside_itself_gives():
    pyside_scan.install()
    pyside_scan.install()  # a second call keeps the first
    check = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    modules = [module for module in list(sys.modules.values()) if isinstance(module, ModuleType)]
    answers = {module.__name__: check(module) for module in modules}
    assert answers == {module.__name__: pysides_own_answer(module) for module in modules}
    assert answers[common.__name__] and not answers[content.__name__]
