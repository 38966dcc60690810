"""In kiosk mode a passer-by cannot close the window; `--windowed` closes as usual."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.flow import Step
from tests.ui.volunteer.conftest import PIN, enter_pin


def test_kiosk_window_is_frameless_and_on_top(make_kiosk):
    kiosk = make_kiosk(locked=True)
    flags = kiosk.window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint


def test_close_request_is_ignored(qtbot, make_kiosk):
    kiosk = make_kiosk(locked=True)
    assert kiosk.window.close() is False  # what the window manager's close button sends
    qtbot.wait(50)
    assert kiosk.window.isVisible()


def test_alt_f4_and_escape_do_nothing(qtbot, make_kiosk):
    kiosk = make_kiosk(locked=True)
    kiosk.flow.start()
    field = QLineEdit(kiosk.window.current_screen())  # keys reach the focused child first
    field.show()
    field.setFocus()
    received = []
    field.keyPressEvent = lambda event: received.append(event.key())  # type: ignore[method-assign]
    modifier_keys = {Qt.Key.Key_Alt}
    qtbot.keyClick(field, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    QApplication.sendEvent(
        kiosk.window,
        QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    )
    qtbot.wait(50)
    assert [key for key in received if key not in modifier_keys] == []
    assert kiosk.window.isVisible()
    assert kiosk.flow.step is Step.COMMITMENTS
    qtbot.keyClick(field, Qt.Key.Key_A)
    assert received[-1] == Qt.Key.Key_A  # ordinary typing still works


def test_windowed_mode_closes_normally(make_kiosk):
    kiosk = make_kiosk(locked=False)
    assert kiosk.window.close() is True
    assert not kiosk.window.isVisible()


def test_only_the_panel_behind_the_pin_shuts_the_kiosk(qtbot, make_kiosk):
    kiosk = make_kiosk(locked=True)
    panel = kiosk.volunteer.panel
    panel.request_open()
    enter_pin(qtbot, panel, PIN)
    qtbot.mouseClick(panel.quit_button, Qt.MouseButton.LeftButton)
    assert kiosk.window.isVisible()  # it asks first
    qtbot.waitUntil(kiosk.controller.is_idle)
    qtbot.mouseClick(panel.quit_confirm.quit_button, Qt.MouseButton.LeftButton)
    assert not kiosk.window.isVisible()
