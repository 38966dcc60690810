"""The on-screen keyboard (Qt Virtual Keyboard) for touchscreens without keys.

Qt picks its input method when the QApplication is created, so
`use_virtual_keyboard` runs before that, from the stored setting. The
keyboard follows the default QLocale: Swedish gives the Swedish layout
(å ä ö); its globe key switches layouts for anyone who wants another.

The keyboard is a window of its own at the bottom of the screen.
`KeyboardAvoider` keeps it off the field being typed into: while it is up,
the kiosk's content area (and the volunteer panel) end above it, and a
field inside a scroll area is scrolled into view.

A keyboard that cannot load (its Qt modules missing, or libpulse0, which
its key clicks need) would cover the kiosk with an empty black panel at
the first tap, so `use_virtual_keyboard` probes first and starts without
it; `kiosk.system_check.problems()` then tells the volunteer why.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLayout, QScrollArea, QWidget

from kiosk import system_check

IM_MODULE = "qtvirtualkeyboard"
KEYBOARD_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
# What Qt loads for the keyboard: the input-context plugin, then its QML.
QML_MODULES = ("QtQuick/VirtualKeyboard", "QtMultimedia")
PLUGIN_GLOB = "platforminputcontexts/*qtvirtualkeyboard*"


def keyboard_problems(
    *,
    has_library: Callable[[str], bool] | None = None,
    qml_dir: Path | None = None,
    plugins_dir: Path | None = None,
) -> list[system_check.Problem]:
    """Why the virtual keyboard would fail to load here; empty when it will work."""
    qml = qml_dir or Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.QmlImportsPath))
    plugins = plugins_dir or Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    missing = [name for name in QML_MODULES if not (qml / name / "qmldir").is_file()]
    if not any(plugins.glob(PLUGIN_GLOB)):
        missing.append(PLUGIN_GLOB.split("/")[0])
    found = []
    if missing:
        found.append(
            system_check.Problem(
                "keyboard_modules",
                optional=True,
                missing=tuple(missing),
                command="pip install PySide6-Addons",
            )
        )
    return found + system_check.check_parts([system_check.KEYBOARD], has_library=has_library)


def use_virtual_keyboard(
    enabled: bool,
    language: str,
    *,
    probe: Callable[[], list[system_check.Problem]] = keyboard_problems,
) -> bool:
    """Choose (or refuse) the virtual keyboard for the QApplication about to start.

    Returns whether it is on: a keyboard that would not load is left off
    and its problems noted for the volunteer panel.
    """
    problems = probe() if enabled else []
    system_check.note(problems)
    if not enabled or problems:
        if os.environ.get("QT_IM_MODULE") == IM_MODULE:
            del os.environ["QT_IM_MODULE"]
        return False
    os.environ["QT_IM_MODULE"] = IM_MODULE
    QLocale.setDefault(QLocale(KEYBOARD_LOCALES.get(language, "sv_SE")))
    return True


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
