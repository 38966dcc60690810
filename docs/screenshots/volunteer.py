"""Regenerate docs/screenshots/volunteer-*.png (the README's volunteer guide).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/volunteer.py [WIDTHxHEIGHT [DIR]]

At 1366×768 by default (a market-stall laptop); give another size and a
folder to look at the panel at 1920×1080 too (under Xvfb, say).

Builds the kiosk on a throw-away demo store and grabs the panel's pages,
and the thank-you screen with the receipt button (a printer is chosen).
The sync page is shown with a status as the worker reports it when the
central store cannot be reached (no server runs here).
"""

from __future__ import annotations

import sys
import tempfile
import time
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
    size = sys.argv[1] if len(sys.argv) > 1 else "1366x768"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(n) for n in size.split("x"))
    app = QApplication(sys.argv[:1])
    content = load_content()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        fill_demo(store, content, count=400, seed=2030, today=date.today())
        PinKeeper(store).set_pin(PIN)
        kiosk = build_kiosk(store, content)
        window = kiosk.window
        window.resize(width, height)
        window.show()
        panel = kiosk.volunteer.panel

        def settle() -> None:
            """Let the panel's controller answer what it was asked (off the GUI thread)."""
            while not kiosk.controller.is_idle():
                app.processEvents()
                time.sleep(0.01)

        def shot(name: str) -> None:
            settle()
            app.processEvents()
            window.grab().save(str(out / f"volunteer-{name}.png"))

        def until(done) -> None:  # type: ignore[no-untyped-def]
            while not done():
                app.processEvents()
                time.sleep(0.01)

        settle()

        panel.request_open()
        for digit in "20":
            panel.pin_page.pad.press(digit)
        shot("pin")
        panel.pin_page.pad.clear()
        panel.pin_page.on_entered(PIN)
        settle()
        shot("dashboard")
        panel.show_page("event")
        shot("event")
        panel.show_page("sync")
        settle()
        show_offline_sync(panel.sync_page)
        shot("sync")
        panel.show_page("print")
        panel.print_page.choose_printer("PDF")
        shot("print")
        panel.print_page.preview()
        until(lambda: panel.print_page._preview and panel.print_page._preview.state == "shown")
        shot("preview")
        panel.print_page._preview.hide()
        panel.print_page.document.setCurrentIndex(2)
        panel.print_page.start_date.open_calendar()
        shot("date-picker")
        panel.print_page.start_date.calendar.hide()
        panel.show_page("settings")
        shot("settings")
        panel.ask_quit()
        shot("shutdown")
        panel.quit_confirm.hide()
        panel.toggle_practice()
        settle()
        panel.leave()
        shot("practice")
        panel.request_open()
        panel.pin_page.on_entered(PIN)
        settle()
        panel.toggle_practice()
        settle()
        panel.leave()
        sign(app, kiosk)
        window.grab().save(str(out / "thanks-receipt-sv.png"))
        kiosk.flow.reset()
        kiosk.close()
        store.close()


def show_offline_sync(page) -> None:  # type: ignore[no-untyped-def]
    from sync.problems import ProblemKind, SyncProblem  # noqa: PLC0415
    from sync.status import EventCheck, SyncStatus  # noqa: PLC0415

    page.set_status(
        SyncStatus(
            enrolled=True,
            server_url="https://klimatavtal.example.se",
            pending=3,
            refused=0,
            last_success_utc="2026-05-16T11:42:00",
            last_error=SyncProblem(ProblemKind.UNREACHABLE, "The central store cannot be reached."),
            store_total=1284,
            attract_count=1287,
        )
    )
    page.set_checks([EventCheck("e1", "Stortorget", 47, 47, True, 0)])


def sign(app, kiosk) -> None:  # type: ignore[no-untyped-def]
    """A signer through the flow's own steps, then the thank-you screen."""
    flow = kiosk.flow
    flow.start()
    flow.submit_commitments(("bike-short-trips", "less-food-waste"))
    flow.submit_details(name="Zoë Åkesson", consent=True)
    stroke = tuple((x * 10.0, 300 + (x % 7) * 40.0) for x in range(0, 90, 3))
    flow.submit_signature((stroke,))
    while flow.step != "thanks":
        app.processEvents()
    app.processEvents()


if __name__ == "__main__":
    main()
