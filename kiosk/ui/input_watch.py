"""One application-wide event filter that hands the kiosk's input to its watchers.

Qt calls an application's event filter for every event of every object,
and each call into Python costs: the attract screen's gentle motion alone
makes about 1,200 events a second. The idle reset, the volunteer gesture,
the lockdown's keys and the volunteer panel's idle clock only care about
touches, clicks and keys, so this one filter picks those out and calls
their `eventFilter` in turn. The kiosk idles cheaply all day, and a worker
thread opening the store is not slowed by the GUI thread taking the GIL
for every paint.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QInputEvent

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TouchCancel,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Wheel,
    }
)


class InputWatch(QObject):
    """Install it on the application; `add` watchers, the last added is asked first
    (as Qt does with filters). A watcher returning True consumes the event."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._watchers: list[QObject] = []

    def add(self, watcher: QObject) -> None:
        if watcher not in self._watchers:
            self._watchers.insert(0, watcher)
            watcher.destroyed.connect(lambda: self.remove(watcher))

    def remove(self, watcher: QObject) -> None:
        if watcher in self._watchers:
            self._watchers.remove(watcher)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every input event is a QInputEvent; the isinstance check is cheaper than
        # type(), which makes a Python enum value for each of the many other events
        # (a page of the panel added to its window sends thousands).
        if not isinstance(event, QInputEvent) or event.type() not in INPUT_EVENTS:
            return False
        return any(watcher.eventFilter(watched, event) for watcher in tuple(self._watchers))
