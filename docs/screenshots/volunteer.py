"""Regenerate docs/screenshots/volunteer-*.png (the README's volunteer guide).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/volunteer.py

Builds the kiosk on a throw-away demo store and grabs the panel's pages.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.app import build_kiosk  # noqa: E402
from kiosk.content import load_content  # noqa: E402
from kiosk.demo import fill_demo  # noqa: E402
from kiosk.store import open_store  # noqa: E402
from kiosk.volunteer.pin import PinKeeper  # noqa: E402

OUT = Path(__file__).resolve().parent
PIN = "2030"


def main() -> None:
    app = QApplication(sys.argv[:1])
    content = load_content()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        fill_demo(store, content, count=400, seed=2030, today=date.today())
        PinKeeper(store).set_pin(PIN)
        kiosk = build_kiosk(store, content)
        window = kiosk.window
        window.resize(1280, 800)
        window.show()
        panel = kiosk.volunteer.panel

        def shot(name: str) -> None:
            app.processEvents()
            window.grab().save(str(OUT / f"volunteer-{name}.png"))

        panel.request_open()
        for digit in "20":
            panel.pin_page.pad.press(digit)
        shot("pin")
        panel.pin_page.pad.clear()
        panel.pin_page.on_entered(PIN)
        shot("dashboard")
        panel.show_page("event")
        shot("event")
        panel.show_page("settings")
        shot("settings")
        panel.toggle_practice()
        panel.leave()
        shot("practice")
        panel.request_open()
        panel.pin_page.on_entered(PIN)
        panel.toggle_practice()
        store.close()


if __name__ == "__main__":
    main()
