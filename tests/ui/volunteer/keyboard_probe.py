"""Run under a real X server by test_keyboard.py: the kiosk with Qt Virtual Keyboard.

Opens the volunteer panel's event form, taps the lowest field (which the
keyboard would cover), taps the keyboard's "å" key and prints what it saw
as JSON. With a language ("en", "ar") the signer switches to it first and
the keyboard's layout must follow; the probe then reports its locale.
With "enter" it taps the form's first field instead, then the keyboard's ↵,
and reports which field has the focus then and where that field is.
A subprocess, because the input method is chosen once per QApplication
and the test suite's own application runs offscreen.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.ui.volunteer.keyboard import use_virtual_keyboard
from tests.ui.xvfb import click, wait_for

WIDTH, HEIGHT = 1280, 800


def main() -> int:
    enter = sys.argv[1] == "enter"
    enabled = sys.argv[1] in ("on", "enter")
    language = sys.argv[2] if len(sys.argv) > 2 else "sv"
    use_virtual_keyboard(enabled, "sv")
    app = QApplication(sys.argv[:1])
    from kiosk.app import build_kiosk
    from kiosk.content import load_content
    from kiosk.store import open_store

    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        kiosk = build_kiosk(store, load_content())
        window = kiosk.window
        window.setGeometry(0, 0, WIDTH, HEIGHT)
        window.show()
        panel = kiosk.volunteer.panel
        controller = kiosk.controller
        wait_for(app, controller.is_idle)  # no PIN yet: the panel asks for one
        if language != "sv":
            kiosk.flow.offer_languages(("sv", "en", "ar"))
            kiosk.flow.set_language(language)
        panel.pin_page.on_entered("2030")
        panel.pin_page.on_entered("2030")
        wait_for(app, controller.is_idle)
        page = panel.event_page
        field = page.name_edit if enter else page.volunteers_edit
        wait_for(app, window.isVisible)
        app.processEvents()
        center = field.mapToGlobal(field.rect().center())
        result["field_bottom_before"] = field.mapToGlobal(field.rect().bottomLeft()).y()
        click(center)
        im = QGuiApplication.inputMethod()
        result["shown"] = wait_for(
            app,
            lambda: im.isVisible() and not im.keyboardRectangle().isEmpty(),
            8 if enabled else 2,
        )
        if result["shown"]:
            wait_for(app, lambda: kiosk.keyboard.margin > 0, 3)
            app.processEvents()
            keyboard = im.keyboardRectangle().toRect()
            result["keyboard_top"] = keyboard.top()
            result["field_bottom"] = field.mapToGlobal(field.rect().bottomLeft()).y()
            result["locale"] = im.locale().name()
            if enter:  # the Swedish layout's ↵ is the bottom row's last key
                click(
                    QPoint(
                        keyboard.left() + int(keyboard.width() * 0.93),
                        keyboard.top() + int(keyboard.height() * 0.88),
                    )
                )
                wait_for(app, lambda: not field.hasFocus(), 3)
                focused = app.focusWidget()
                result["focused"] = focused.objectName() if focused else None
                place = page.place_edit
                result["next_bottom"] = place.mapToGlobal(place.rect().bottomLeft()).y()
                result["keyboard_top"] = im.keyboardRectangle().toRect().top()
            if language != "sv" or enter:  # the Swedish "å" tap below is for the Swedish layout
                result["text"] = field.text()
                result["has_focus"] = field.hasFocus()
                kiosk.volunteer.lockdown.release()
                kiosk.close()
                store.close()
                print(json.dumps(result), flush=True)
                return 0
            # The Swedish layout's top row ends with "å" (q w e r t y u i o p å).
            click(
                QPoint(
                    keyboard.left() + int(keyboard.width() * 0.952),
                    keyboard.top() + int(keyboard.height() * 0.144),
                )
            )
            wait_for(app, lambda: field.text() != "", 3)
        result["text"] = field.text()
        result["has_focus"] = field.hasFocus()
        kiosk.volunteer.lockdown.release()
        kiosk.close()
        store.close()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    # Skip interpreter teardown: Python may free the QApplication before the
    # keyboard's QML objects, and Qt aborts on that; the answer is printed.
    os._exit(main())
