"""The on-screen keyboard (Qt Virtual Keyboard) for touchscreens without keys.

Qt picks its input method when the QApplication is created, so
`use_virtual_keyboard` runs before that, from the stored setting.
"""

from __future__ import annotations

import os

IM_MODULE = "qtvirtualkeyboard"


def use_virtual_keyboard(enabled: bool, language: str) -> None:
    """Choose (or refuse) the virtual keyboard for the QApplication about to start."""
    if not enabled:
        os.environ.pop("QT_IM_MODULE", None)
        return
    os.environ["QT_IM_MODULE"] = IM_MODULE
