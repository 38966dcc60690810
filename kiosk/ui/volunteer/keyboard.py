"""The on-screen keyboard (Qt Virtual Keyboard) for touchscreens without keys.

Qt picks its input method when the QApplication is created, so
`use_virtual_keyboard` runs before that, from the stored setting. The
keyboard follows the default QLocale: Swedish gives the Swedish layout
(å ä ö); its globe key switches layouts for anyone who wants another.

The keyboard is a window of its own at the bottom of the screen.
`KeyboardAvoider` keeps it off the field being typed into: while it is up,
the kiosk's content area (and the volunteer panel) end above it, and a
field inside a scroll area is scrolled into view.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QLocale, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLayout, QScrollArea, QWidget

IM_MODULE = "qtvirtualkeyboard"
KEYBOARD_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def use_virtual_keyboard(enabled: bool, language: str) -> None:
    """Choose (or refuse) the virtual keyboard for the QApplication about to start."""
    if not enabled:
        if os.environ.get("QT_IM_MODULE") == IM_MODULE:
            del os.environ["QT_IM_MODULE"]
        return
    os.environ["QT_IM_MODULE"] = IM_MODULE
    QLocale.setDefault(QLocale(KEYBOARD_LOCALES.get(language, "sv_SE")))


class KeyboardAvoider(QObject):
    """Shrinks the given widgets' usable height to end above the keyboard."""

    def __init__(self, window: QWidget, *, overlays: tuple[QWidget, ...] = ()):
        super().__init__(window)
        self.window = window
        self.overlays = overlays  # widgets laid over the window, e.g. the volunteer panel
        self.margin = 0
        self.input_method = QGuiApplication.inputMethod()
        self.input_method.keyboardRectangleChanged.connect(self.on_keyboard_changed)
        self.input_method.visibleChanged.connect(self.on_keyboard_changed)

    def covered_height(self) -> int:
        """How much of the window's bottom the keyboard covers now."""
        rect = self.input_method.keyboardRectangle().toRect()
        if not self.input_method.isVisible() or rect.isEmpty():
            return 0
        top = self.window.mapFromGlobal(rect.topLeft()).y()
        return max(0, min(self.window.height(), self.window.height() - top))

    def on_keyboard_changed(self) -> None:
        margin = self.covered_height()
        if margin == self.margin:
            return
        self.margin = margin
        layout = self.window.layout()
        if layout is not None:
            # Never grow the window past the screen to fit a screen's minimum height.
            layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
            left, top, right, _bottom = layout.getContentsMargins()
            layout.setContentsMargins(left, top, right, margin)
        for overlay in self.overlays:
            if overlay.parentWidget() is self.window:
                overlay.setGeometry(self.window.rect().adjusted(0, 0, 0, -margin))
        QTimer.singleShot(0, self.reveal_focus)

    def reveal_focus(self) -> None:
        """Scroll the focused field into view inside any scroll area holding it."""
        focused = QApplication.focusWidget()
        parent = focused.parentWidget() if focused else None
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(focused)
            parent = parent.parentWidget()
