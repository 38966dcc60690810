"""The on-screen keyboard (Qt Virtual Keyboard) for touchscreens without keys.

Qt picks its input method when the QApplication is created, so
`use_virtual_keyboard` runs before that, from the stored setting. The
keyboard starts in the default QLocale's layout (Swedish: å ä ö) and then
follows the signer's language live (`KeyboardLanguage`): Arabic, English
and Swedish layouts; its globe key switches among them for anyone who
wants another.

The keyboard is a window of its own at the bottom of the screen.
`KeyboardAvoider` keeps it off the field being typed into: while it is up,
the kiosk's content area (and the volunteer panel) end above it, and a
field inside a scroll area is scrolled into view with its label. Each
change is laid out in full at once, so nothing moves under a finger after
the keyboard has gone. In the panel's forms the keyboard's ↵ goes on to
the next field, shown above it (`enter_goes_on`): with the keyboard up,
the next field is usually under it.

A keyboard that cannot load (its Qt modules missing, or libpulse0, which
its key clicks need) would cover the kiosk with an empty black panel at
the first tap, so `use_virtual_keyboard` probes first and starts without
it; `kiosk.system_check.problems()` then tells the volunteer why.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLayout, QLineEdit, QScrollArea, QWidget

if TYPE_CHECKING:
    from kiosk import system_check


IM_MODULE = "qtvirtualkeyboard"
KEYBOARD_LOCALES = {"sv": "sv_SE", "en": "en_GB", "ar": "ar_AR"}
# What Qt loads for the keyboard: the input-context plugin, then its QML.
QML_MODULES = ("QtQuick/VirtualKeyboard", "QtMultimedia")
PLUGIN_GLOB = "platforminputcontexts/*qtvirtualkeyboard*"
LABEL_GAP = 16  # px kept clear around a field and its label scrolled into view
LAYOUT_PASSES = 4  # a keyboard change cascades through at most this many layout steps

# VirtualKeyboardSettings is a QML singleton over the keyboard's one global
# settings object, so a tiny component in an engine of our own reaches the
# keyboard the input context runs (Qt documents no C++ API for it).
_SETTINGS_QML = b"""
import QtQml
import QtQuick.VirtualKeyboard.Settings
QtObject {
    property string locale: ""
    property var active: []
    readonly property var available: VirtualKeyboardSettings.availableLocales
    onLocaleChanged: VirtualKeyboardSettings.locale = locale
    onActiveChanged: VirtualKeyboardSettings.activeLocales = active
}
"""


def keyboard_problems(
    *,
    has_library: Callable[[str], bool] | None = None,
    qml_dir: Path | None = None,
    plugins_dir: Path | None = None,
) -> list[system_check.Problem]:
    """Why the virtual keyboard would fail to load here; empty when it will work."""
    from kiosk import system_check  # noqa: PLC0415 - not on the attract screen's path

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
    from kiosk import system_check  # noqa: PLC0415 - not on the attract screen's path

    problems = probe() if enabled else []
    system_check.note(problems)
    if not enabled or problems:
        if os.environ.get("QT_IM_MODULE") == IM_MODULE:
            del os.environ["QT_IM_MODULE"]
        return False
    os.environ["QT_IM_MODULE"] = IM_MODULE
    QLocale.setDefault(QLocale(KEYBOARD_LOCALES.get(language, "sv_SE")))
    return True


def keyboard_in_use() -> bool:
    return os.environ.get("QT_IM_MODULE") == IM_MODULE


class KeyboardLanguage(QObject):
    """Switches the on-screen keyboard's layout to the signer's language, live.

    Does nothing when the virtual keyboard is off (no QML is loaded then).
    `offer` limits the globe key to the languages the kiosk offers.
    """

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._settings: QObject | None = None
        self.locale = ""
        if keyboard_in_use():
            self._engine, self._component, self._settings = _settings_object(self)

    def available(self) -> list[str]:
        if self._settings is None:
            return []
        return [str(name) for name in self._settings.property("available") or []]

    def offer(self, languages: tuple[str, ...]) -> None:
        names = [KEYBOARD_LOCALES[lang] for lang in languages if lang in KEYBOARD_LOCALES]
        available = self.available()
        names = [name for name in names if name in available]
        if self._settings is not None and names:
            self._settings.setProperty("active", names)

    def follow(self, language: str) -> None:
        """The signer's language changed: the keyboard's layout changes with it."""
        name = KEYBOARD_LOCALES.get(language, "")
        if self._settings is None or not name or name == self.locale:
            return
        self.locale = name
        self._settings.setProperty("locale", name)


def _settings_object(parent: QObject) -> tuple[QObject, QObject, QObject | None]:
    """The QML helper above, or None (with a log line) where the module is missing.

    The engine and the component are kept beside the object, as long as
    `parent` lives: the object is deleted with them.
    """
    import logging  # noqa: PLC0415

    from PySide6.QtQml import QQmlComponent, QQmlEngine  # noqa: PLC0415 - only with the keyboard

    engine = QQmlEngine(parent)
    component = QQmlComponent(engine, engine)
    component.setData(_SETTINGS_QML, "keyboard_settings.qml")
    # Annotated: PySide6's stub omits the None that create() returns on a QML error.
    made: QObject | None = component.create()
    if made is None:
        logging.getLogger(__name__).warning(
            "the on-screen keyboard cannot follow the language: %s", component.errorString()
        )
    return engine, component, made


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
            margins = layout.contentsMargins()
            margins.setBottom(margin)
            layout.setContentsMargins(margins)
        for overlay in self.overlays:
            if overlay.parentWidget() is self.window:
                overlay.setGeometry(self.window.rect().adjusted(0, 0, 0, -margin))
        settle_layouts()
        if margin:
            self.reveal_focus()
            # Again once the volunteer panel's pages have taken their new size.
            QTimer.singleShot(0, self.reveal_focus)

    def reveal_focus(self) -> None:
        """Scroll the focused field, and the label above it, into view in any scroll area."""
        focused = QApplication.focusWidget()
        if focused is not None:
            reveal_field(focused)


def reveal_field(field: QWidget) -> None:
    """Scroll `field`, and the label above it, into view in every scroll area it is in."""
    parts = [field, *([label] if (label := buddy_label(field)) else [])]
    parent = field.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            reveal(parent, parts)
        parent = parent.parentWidget()


def enter_goes_on(fields: Sequence[QLineEdit], done: Callable[[], None]) -> None:
    """↵ in a form's field moves to the next field, scrolled into view above the
    keyboard; in the last it does what the form's button does. A volunteer who
    taps the first field of a form never has to hide the keyboard to reach the rest."""
    for field, following in pairwise(fields):
        field.returnPressed.connect(partial(_focus, following))
    fields[-1].returnPressed.connect(done)


def _focus(field: QWidget) -> None:
    field.setFocus(Qt.FocusReason.TabFocusReason)
    reveal_field(field)


def reveal(area: QScrollArea, parts: list[QWidget]) -> None:
    """Scroll `area` the least that shows all of `parts` (a field and its label) whole.

    Not QScrollArea.ensureWidgetVisible: for a text field it aims at the text
    cursor, not the field, and left an empty postcode field cut off.
    """
    content = area.widget()
    if content is None:
        return
    tops = [part.mapTo(content, QPoint(0, 0)).y() for part in parts]
    top = min(tops) - LABEL_GAP
    bottom = max(t + part.height() for t, part in zip(tops, parts, strict=True)) + LABEL_GAP
    bar = area.verticalScrollBar()
    view = area.viewport().height()
    value = bar.value()
    if top < value or bottom - top > view:
        value = top  # the label first, when not everything fits
    elif bottom > value + view:
        value = bottom - view
    bar.setValue(value)


def settle_layouts(passes: int = LAYOUT_PASSES) -> None:
    """Lay the window out to its final place now, before anything is painted or tapped.

    A relayout cascades (the content grows, a screen's resizeEvent unfolds
    its title, which asks for another layout), and each step waits for a
    turn of the event loop. Left to itself the form was drawn half-moved and
    then jumped 85 px, and a tap just after the keyboard hid landed on what
    had moved under the finger.
    """
    for _ in range(passes):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def buddy_label(field: QWidget) -> QLabel | None:
    """The visible label naming `field` (its buddy), if it has one."""
    parent = field.parentWidget()
    if parent is None:
        return None
    for candidate in parent.findChildren(QLabel):
        if candidate.buddy() is field and candidate.isVisible():
            return candidate
    return None
