"""Run under a real X server by test_signer_keyboard.py: a signer's details form at 1366x768
with Qt Virtual Keyboard, tapped with xdotool like a finger.

    python -m tests.ui.signer_keyboard_probe label sv
    python -m tests.ui.signer_keyboard_probe tap-after-hide sv

`label`: each text field is tapped in turn; with the keyboard up, the probe
reports whether the field and its label are whole on screen above it.
`tap-after-hide`: the keyboard's own hide key is tapped, and at the moment it
has gone a toggle is tapped where it is drawn; the probe reports where the
toggle was then and later, and whether the tap ticked it.
A subprocess, because the input method is chosen once per QApplication.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.volunteer.keyboard import use_virtual_keyboard
from tests.ui.xvfb import click, wait_for

WIDTH, HEIGHT = 1366, 768
# The hide key on the Latin layouts' bottom row (&123, globe, comma, space, ., hide, ↵).
HIDE_KEY = (0.772, 0.88)


def center(widget: QWidget) -> QPoint:
    return widget.mapToGlobal(widget.rect().center())


def whole_on_screen(widget: QWidget, keyboard: QRect) -> bool:
    """Not clipped by its scroll area, and ending above the keyboard."""
    unclipped = widget.visibleRegion().boundingRect() == widget.rect()
    bottom = widget.mapToGlobal(widget.rect().bottomLeft()).y()
    return widget.isVisible() and unclipped and bottom < keyboard.top()


def main() -> int:
    mode, language = sys.argv[1], sys.argv[2]
    use_virtual_keyboard(True, "sv")
    app = QApplication(sys.argv[:1])
    from kiosk.app import build_kiosk
    from kiosk.content import load_content
    from kiosk.demo import fill_demo
    from kiosk.store import open_store

    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        content = load_content()
        fill_demo(store, content, count=1)  # an event and a PIN: no panel in the way
        kiosk = build_kiosk(store, content)
        window = kiosk.window
        window.setGeometry(0, 0, WIDTH, HEIGHT)
        window.show()
        wait_for(app, kiosk.controller.is_idle)
        flow = kiosk.flow
        flow.offer_languages(("sv", "en", "ar"))
        flow.set_language(language)
        flow.start()
        kiosk.commitments.toggles["bike-short-trips"].click()
        kiosk.commitments.next_button.click()
        details = kiosk.details
        wait_for(app, lambda: window.current_screen() is details and details.isVisible())
        wait_for(app, lambda: False, 0.3)
        im = QGuiApplication.inputMethod()

        def keyboard_up() -> bool:
            return wait_for(app, lambda: im.isVisible() and kiosk.keyboard.margin > 0, 8)

        if mode == "label":
            for name, field in details.edits.items():
                click(center(field))
                seen: dict[str, object] = {"shown": keyboard_up()}
                wait_for(app, lambda: False, 0.2)
                keyboard = im.keyboardRectangle().toRect()
                seen["field"] = whole_on_screen(field, keyboard)
                seen["label"] = whole_on_screen(details.field_labels[name], keyboard)
                seen["focus"] = field.hasFocus()
                seen["where"] = {  # for the failure message
                    "keyboard_top": keyboard.top(),
                    "field_bottom": field.mapToGlobal(field.rect().bottomLeft()).y(),
                    "view_bottom": details.scroll_area.mapToGlobal(
                        details.scroll_area.rect().bottomLeft()
                    ).y(),
                }
                result[name] = seen
                im.hide()
                wait_for(app, lambda: kiosk.keyboard.margin == 0, 3)
        else:
            target = details.toggles["helper_opt_in"]
            field = details.edits["name"]
            click(center(field))
            result["shown"] = keyboard_up()
            wait_for(app, lambda: False, 0.3)
            keyboard = im.keyboardRectangle().toRect()
            seen_at: list[QPoint] = []
            # Connected after the kiosk's own handler: what a finger would see drawn.
            im.visibleChanged.connect(
                lambda: seen_at.append(center(target)) if not im.isVisible() else None
            )
            click(
                QPoint(
                    keyboard.left() + int(keyboard.width() * HIDE_KEY[0]),
                    keyboard.top() + int(keyboard.height() * HIDE_KEY[1]),
                )
            )
            result["hidden"] = wait_for(app, lambda: bool(seen_at), 5)
            if seen_at:
                click(seen_at[0])  # at once: the finger was already on its way
                wait_for(app, target.isChecked, 2)
                wait_for(app, lambda: False, 0.3)
                result["seen_y"] = seen_at[0].y()
            result["final_y"] = center(target).y()
            result["ticked"] = target.isChecked()
            result["keyboard_back"] = im.isVisible()
        kiosk.close()
        store.close()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    # Skip interpreter teardown: Python may free the QApplication before the
    # keyboard's QML objects, and Qt aborts on that; the answer is printed.
    os._exit(main())
