"""Kiosk lockdown: fullscreen, frameless, on top, and no way out for a passer-by.

The window ignores close requests (the window manager's close, Alt+F4)
from the moment it is locked, and once volunteer mode watches the
application's input (kiosk.ui.input_watch) Escape and Alt+F4 are
swallowed too. Only the volunteer panel's "quit" (behind the PIN) calls
`release()`. `--windowed` never locks, so developers close the window as
usual.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

KIOSK_FLAGS = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint


def is_escape_key(event: QKeyEvent) -> bool:
    key = event.key()
    alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
    return key == Qt.Key.Key_Escape or (alt and key == Qt.Key.Key_F4)


class Lockdown(QObject):
    """`lock()` guards the window at once; the keys are filtered where the
    application's input is watched, because they reach the focused child,
    not the window (that watch starts after the first frame, see kiosk.app).
    """

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self.locked = False

    def lock(self) -> None:
        self.locked = True
        self.window.setWindowFlags(self.window.windowFlags() | KIOSK_FLAGS)
        self.window.installEventFilter(self)

    def release(self) -> None:
        """Let the window close: only ever called from behind the PIN."""
        self.locked = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked:
            return False
        kind = event.type()
        if kind == QEvent.Type.Close and watched is self.window:
            event.ignore()  # an accepted-but-filtered close would still close
            return True
        if (
            kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(watched, QWidget)
            and watched.window() is self.window
            and is_escape_key(event)  # type: ignore[arg-type]
        ):
            event.accept()
            return True
        return False
