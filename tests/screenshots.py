"""Screenshots of every screen, taken from the real app: `make screenshots`.

Run under Xvfb with the xcb platform (the Makefile target does), so the
window goes fullscreen the way it does at a stall; each state is reached
by tapping, typing and drawing like a signer, then grabbed to a PNG.

    python -m tests.screenshots docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from kiosk.app import Kiosk, build_kiosk
from kiosk.content import load_content
from kiosk.demo import fill_demo
from kiosk.flow import Step
from kiosk.store import open_store
from tests.ui.helpers import draw, signature_points, type_text

DEMO_SIGNATURES = 1287


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not get there in time")
        QTest.qWait(20)


class Shooter:
    def __init__(self, kiosk: Kiosk, out: Path):
        self.kiosk = kiosk
        self.out = out

    def tap(self, widget) -> None:  # type: ignore[no-untyped-def]
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        QTest.qWait(30)

    def shot(self, name: str) -> None:
        QTest.qWait(250)  # let the attract screen's halo and any relayout settle
        path = self.out / f"{name}.png"
        self.kiosk.window.grab().save(str(path))
        print(path)


def refuse_writes(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.execute("PRAGMA query_only=ON")


def walk(kiosk: Kiosk, shoot: Shooter) -> None:
    flow = kiosk.flow
    shoot.shot("01-attract-sv")
    shoot.tap(kiosk.attract.start_button)
    shoot.tap(kiosk.commitments.next_button)
    shoot.shot("02-commitments-error-sv")
    for cid in ("bike-short-trips", "more-plant-based", "lower-indoor-temperature"):
        shoot.tap(kiosk.commitments.toggles[cid])
    shoot.shot("03-commitments-sv")
    shoot.tap(kiosk.commitments.next_button)
    details = kiosk.details
    type_text(details.edits["name"], "Zoë O'Brien-Åkesson")
    type_text(details.edits["email"], "zoe@exempel")
    type_text(details.edits["postcode"], "2522")
    shoot.tap(details.toggles["community_opt_in"])
    shoot.tap(details.next_button)
    shoot.shot("04-details-error-sv")
    details.edits["email"].clear()
    type_text(details.edits["email"], "zoe@exempel.se")
    details.edits["postcode"].clear()
    type_text(details.edits["postcode"], "252 21")
    shoot.tap(details.toggles["lives_or_works_in_helsingborg"])
    shoot.tap(details.toggles["consent"])
    shoot.shot("05-details-sv")
    shoot.tap(details.next_button)
    sign = kiosk.sign
    shoot.tap(sign.next_button)
    shoot.shot("06-sign-empty-sv")
    draw(sign.pad, signature_points(sign.pad))
    shoot.shot("07-sign-sv")

    shoot.tap(sign.cancel_button)
    shoot.shot("08-cancel-sv")
    shoot.tap(kiosk.window.cancel_overlay.no_button)

    event.listen(kiosk.store.engine, "connect", refuse_writes)
    kiosk.store.engine.dispose()
    shoot.tap(sign.next_button)
    wait_until(sign.alert.isVisible)
    shoot.shot("09-save-failed-sv")
    event.remove(kiosk.store.engine, "connect", refuse_writes)
    kiosk.store.engine.dispose()
    shoot.tap(sign.retry_button)
    wait_until(lambda: flow.step is Step.THANKS)
    shoot.shot("10-thanks-sv")
    shoot.tap(kiosk.thanks.done_button)

    # Idle warning, on a short clock.
    flow.configure_idle(idle_seconds=0, thanks_seconds=15, warning_seconds=10, tick_seconds=5)
    shoot.tap(kiosk.attract.start_button)
    shoot.tap(kiosk.commitments.toggles["buy-second-hand"])
    flow.check_time()  # what the flow's timer does each tick
    wait_until(kiosk.window.idle_overlay.isVisible)
    shoot.shot("11-idle-sv")
    flow.reset()
    flow.configure_idle(idle_seconds=60, thanks_seconds=15, tick_seconds=1)

    # English, chosen in the picker, with a name in Arabic script.
    choose(shoot, kiosk, "en")
    shoot.shot("12-attract-en")
    shoot.tap(kiosk.attract.start_button)
    shoot.tap(kiosk.commitments.toggles["talk-about-climate"])
    shoot.tap(kiosk.commitments.toggles["buy-less"])
    shoot.shot("13-commitments-en")
    shoot.tap(kiosk.commitments.next_button)
    type_text(details.edits["name"], "ليلى حداد")
    shoot.tap(details.next_button)
    shoot.shot("14-details-error-en")
    shoot.tap(details.toggles["consent"])
    shoot.tap(details.next_button)
    draw(sign.pad, signature_points(sign.pad))
    shoot.shot("15-sign-en")
    shoot.tap(sign.next_button)
    wait_until(lambda: flow.step is Step.THANKS)
    shoot.shot("16-thanks-en")
    shoot.tap(kiosk.thanks.done_button)

    # Arabic, offered beside Swedish and English: every screen mirrored.
    choose(shoot, kiosk, "ar")
    shoot.shot("17-attract-ar")
    shoot.tap(kiosk.attract.start_button)
    shoot.tap(kiosk.commitments.toggles["more-plant-based"])
    shoot.tap(kiosk.commitments.next_button)
    type_text(details.edits["name"], "ليلى حداد")
    type_text(details.edits["email"], "layla@exempel.se")
    shoot.tap(details.toggles["lives_or_works_in_helsingborg"])
    shoot.tap(details.toggles["consent"])
    shoot.shot("18-details-ar")
    shoot.tap(details.next_button)
    draw(sign.pad, signature_points(sign.pad))
    shoot.tap(sign.next_button)
    wait_until(lambda: flow.step is Step.THANKS)
    shoot.shot("19-thanks-ar")


def choose(shoot: Shooter, kiosk: Kiosk, language: str) -> None:
    """The language button, then the language in the picker (three are offered)."""
    shoot.tap(kiosk.attract.language_button)
    wait_until(kiosk.window.language_picker.isVisible)
    shoot.tap(kiosk.window.language_picker.buttons[language])


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(argv[:1])
    content = load_content()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        fill_demo(store, content, count=DEMO_SIGNATURES)
        kiosk = build_kiosk(store, content)
        kiosk.window.show_kiosk(fullscreen=True)
        screen = kiosk.window.screen().availableGeometry()
        wait_until(lambda: kiosk.window.isVisible() and kiosk.window.size() == screen.size())
        walk(kiosk, Shooter(kiosk, out))
        kiosk.close()
        app.processEvents()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
