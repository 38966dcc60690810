"""Kiosk lockdown: fullscreen, frameless, on top, and no way out for a passer-by.

The window ignores close requests (the window manager's close, Alt+F4)
from the moment it is locked, and once `watch_keys()` has run the
application swallows Escape and Alt+F4 while locked. Only the volunteer
panel's "quit" (behind the PIN) calls `release()`. `--windowed` never
locks, so developers close the window as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

KIOSK_FLAGS = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint


def is_escape_key(event: QKeyEvent) -> bool:
    key = event.key()
    alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
    return key == Qt.Key.Key_Escape or (alt and key == Qt.Key.Key_F4)


class Lockdown(QObject):
    """`lock()` guards the window; `watch_keys()` filters keys application-wide
    because they reach the focused child, not the window.

    The two are apart because an application-wide filter in Python costs the
    kiosk's start-up: the first private Qt object it is handed (the animation
    timer) makes PySide create every Qt class, ~75 ms, so start-up adds it
    after the attract screen's first frame.
    """

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self.locked = False

    def lock(self) -> None:
        self.locked = True
        self.window.setWindowFlags(self.window.windowFlags() | KIOSK_FLAGS)
        self.window.installEventFilter(self)

    def watch_keys(self) -> None:
        QApplication.instance().installEventFilter(self)

    def release(self) -> None:
        """Let the window close: only ever called from behind the PIN."""
        self.locked = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
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
