"""A real kiosk as its own process, for the public pages' end-to-end test.

python -m tests.public.kiosk_signer DATA_DIR
reads commands from stdin, one a line, and answers one line each:
  sign NAME EMAIL PNG  a signer goes through every screen by touch; the thank-you
                       screen is saved to PNG -> "signed"
  sync                 upload and apply the store's erasures -> the outcome
  count                signatures this kiosk holds -> a number
  quit
The kiosk is enrolled by the test beforehand (its data folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app import build_kiosk
from kiosk.content import load_content
from kiosk.flow import Step
from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from kiosk.store.outbox import read_status
from kiosk.store.repository import count_signatures
from sync.client import Backoff, Uploader, sync_until_done


def tap(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def draw(widget: QWidget) -> None:
    width, height = widget.width(), widget.height()
    points = [
        QPoint(int(width * (0.15 + 0.7 * i / 40)), int(height * (0.4 + 0.2 * (i % 3) / 2)))
        for i in range(41)
    ]
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        QTest.mouseMove(widget, point)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=points[-1])


def wait_until(app: QApplication, done) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2000):
        if done():
            return
        app.processEvents()
        QTest.qWait(5)
    raise TimeoutError("the kiosk did not get there")


def main(argv: list[str]) -> int:
    app = QApplication([])
    store = open_store(Path(argv[0]))
    kiosk = build_kiosk(store, load_content())
    kiosk.window.resize(1280, 800)
    kiosk.window.show()
    # What the sync worker reports when it starts: which store this kiosk is enrolled with.
    kiosk.sync.status = read_status(store)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "sign":
            name, email, png = args
            if kiosk.flow.step != Step.ATTRACT:
                tap(kiosk.thanks.done_button)  # the last signer leaves
            tap(kiosk.attract.start_button)
            tap(kiosk.commitments.toggles["bike-short-trips"])
            tap(kiosk.commitments.next_button)
            type_text(kiosk.details.edits["name"], name.replace("_", " "))
            type_text(kiosk.details.edits["email"], email)
            tap(kiosk.details.toggles["consent"])
            tap(kiosk.details.next_button)
            draw(kiosk.sign.pad)
            tap(kiosk.sign.next_button)
            wait_until(app, lambda: kiosk.flow.step == Step.THANKS and not kiosk.flow.is_saving)
            app.processEvents()
            kiosk.window.grab().save(png)
            answer = "signed"
        elif command == "sync":
            with Uploader(kiosk_outbox(store)) as uploader:
                outcome = sync_until_done(uploader, attempts=5, backoff=Backoff(base=0.05, cap=0.2))
            answer = f"done={outcome.done} {outcome}"
        elif command == "count":
            with store.session() as session:
                answer = str(count_signatures(session))
        else:
            break
        print(answer, flush=True)
    kiosk.close()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
