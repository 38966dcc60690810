"""Focus rings only after keyboard use, as a browser's :focus-visible.

A tap focuses the button tapped, and Qt hands the focus on to the next
widget when a screen changes: a ring drawn for every focused widget sat on
*English* on almost every screen and read as "selected". So a ring is drawn
only when the focus came from the keyboard (Tab, arrows): the widget that
has it carries the FOCUS_RING property, which the stylesheet and
ToggleCard draw. Any touch or click turns the rings off again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.theme import FOCUS_RING

NAVIGATION_KEYS = frozenset(
    {
        Qt.Key.Key_Tab,
        Qt.Key.Key_Backtab,
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
    }
)
POINTER_EVENTS = frozenset(
    {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.MouseButtonDblClick}
)


class FocusRings(QObject):
    """A watcher for kiosk.ui.input_watch.InputWatch; follows the application's focus."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.keyboard = False  # was the last input a navigation key?
        self._marked: QWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.on_focus_changed)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in POINTER_EVENTS and self.keyboard:
            self.keyboard = False
            self._mark(None)
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in NAVIGATION_KEYS and not self.keyboard:
                self.keyboard = True
                self._mark(QApplication.focusWidget())
        return False

    def on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._mark(new if self.keyboard else None)

    def _mark(self, widget: QWidget | None) -> None:
        if widget is self._marked:
            return
        previous, self._marked = self._marked, widget
        for target, ringed in ((previous, False), (widget, True)):
            if target is None:
                continue
            try:
                target.setProperty(FOCUS_RING, ringed)
                target.style().unpolish(target)
                target.style().polish(target)
                target.update()
            except RuntimeError:  # the widget was deleted meanwhile
                continue
