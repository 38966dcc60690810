"""Start-up: the attract screen comes first, the store and the other screens right after."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

from kiosk.app import build_kiosk, start_kiosk
from kiosk.flow import Step
from kiosk.gil import GUI_SWITCH_INTERVAL_S
from kiosk.store import open_store
from kiosk.volunteer.events import start_event
from tests.fake_clock import FakeClock
from tests.fresh_python import run_python
from tests.ui.helpers import draw, signature_points, tap, type_text


def stall_with_an_event(data_dir) -> None:
    store = open_store(data_dir)
    with store.session() as session:
        start_event(session, name="Stortorget", place="", event_date=date.today())
        session.commit()
    store.close()


def test_the_attract_screen_shows_before_the_store_opens(qtbot, data_dir):
    kiosk = start_kiosk(data_dir, fullscreen=False)
    told = []
    kiosk.store_listeners.append(told.append)  # how volunteer mode learns of the store
    try:
        assert kiosk.window.isVisible()
        assert kiosk.window.current_screen() is kiosk.attract
        assert kiosk.store is None and not kiosk.attract.count_label.isVisible()
        qtbot.waitUntil(lambda: kiosk.store is not None, timeout=30_000)
        assert kiosk.screens is not None  # the pledge screens were built after the first frame
        assert kiosk.attract.count_label.isVisible()
        # Never synced: the content file's last known total, not 0.
        assert kiosk.attract.count_label.text() == "560 helsingborgare har skrivit på"
        assert told == [kiosk.store]
    finally:
        qtbot.waitUntil(lambda: kiosk.store is not None, timeout=30_000)
        kiosk.close()
        kiosk.store.close()


def test_the_gui_thread_gets_short_turns_at_the_gil_for_the_kiosks_whole_life(qtbot, data_dir):
    """Workers (the sync's two threads above all) let go of the GIL after 0.5 ms, not
    5 ms, also once start-up is over: a tap waits for the GUI thread's turn."""
    default = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    kiosk = start_kiosk(data_dir, fullscreen=False)
    try:
        # Already before the first worker (the thank-you screen's QR) starts.
        assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL_S)
        qtbot.waitUntil(lambda: kiosk.store is not None and kiosk.sync.running(), timeout=30_000)
        assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL_S)
    finally:
        kiosk.close()
        kiosk.store.close()
        sys.setswitchinterval(default)


def test_a_tap_before_the_screens_are_built_still_works(qtbot, data_dir):
    kiosk = start_kiosk(data_dir, fullscreen=False)
    try:
        tap(qtbot, kiosk.attract.start_button)  # before the event loop ran at all
        assert kiosk.window.current_screen() is kiosk.commitments
    finally:
        qtbot.waitUntil(lambda: kiosk.store is not None, timeout=30_000)
        kiosk.close()
        kiosk.store.close()


def test_a_signature_given_while_the_store_opens_waits_and_is_kept(qtbot, content, data_dir):
    kiosk = build_kiosk(None, content)
    kiosk.window.show()
    try:
        tap(qtbot, kiosk.attract.start_button)
        tap(qtbot, kiosk.commitments.toggles["save-energy"])
        tap(qtbot, kiosk.commitments.next_button)
        type_text(kiosk.details.edits["name"], "Elin Ödegård")
        tap(qtbot, kiosk.details.toggles["consent"])
        tap(qtbot, kiosk.details.next_button)
        draw(kiosk.sign.pad, signature_points(kiosk.sign.pad))
        tap(qtbot, kiosk.sign.next_button)
        assert kiosk.flow.is_saving and kiosk.flow.step is Step.SIGN  # waiting for the store
        store = open_store(data_dir)
        with store.session() as session:  # volunteers chose the stall's event earlier
            start_event(session, name="Stortorget", place="", event_date=date.today())
            session.commit()
        kiosk.attach_store(store)
        qtbot.waitUntil(lambda: kiosk.flow.step is Step.THANKS)
        assert kiosk.attract.count == kiosk.content.campaign.last_known_total + 1
    finally:
        qtbot.waitUntil(lambda: not kiosk.flow.is_saving)
        kiosk.close()
        if kiosk.store is not None:
            kiosk.store.close()


def test_kiosk_mode_is_locked_at_once_and_watches_input_after_the_first_frame(qtbot, data_dir):
    """The input filters come after the first frame (start-up speed); the kiosk
    still refuses to close from its first moment, and once shown it keeps a
    busy signer, swallows Escape and answers the volunteer's corner press."""
    stall_with_an_event(data_dir)
    clock = FakeClock()
    kiosk = start_kiosk(data_dir, fullscreen=True, clock=clock)
    try:
        assert kiosk.window.close() is False  # before the event loop ran at all
        qtbot.waitUntil(lambda: kiosk.store is not None, timeout=30_000)
        assert kiosk.window.isVisible()

        flow = kiosk.flow
        flow.configure_idle(idle_seconds=20, thanks_seconds=15, warning_seconds=5)
        tap(qtbot, kiosk.attract.start_button)
        screen = kiosk.window.current_screen()
        for _ in range(10):  # taps on a blank spot, longer in all than idle time and warning
            qtbot.mouseClick(screen, Qt.MouseButton.LeftButton, pos=QPoint(640, 300))
            clock.advance(10)
            flow.check_time()
        assert flow.step is Step.COMMITMENTS
        assert not kiosk.window.idle_overlay.isVisible()

        field = QLineEdit(screen)
        field.show()
        field.setFocus()
        received = []
        field.keyPressEvent = lambda event: received.append(event.key())  # type: ignore[method-assign]
        qtbot.keyClick(field, Qt.Key.Key_Escape)
        assert received == [] and kiosk.window.isVisible()

        detector = kiosk.volunteer.detector
        detector.hold_timer.setInterval(100)
        corner = kiosk.window.childAt(QPoint(12, 12)) or kiosk.window
        with qtbot.waitSignal(detector.triggered, timeout=2000):
            qtbot.mousePress(
                corner, Qt.MouseButton.LeftButton, pos=corner.mapFrom(kiosk.window, QPoint(12, 12))
            )
        assert kiosk.volunteer.panel.is_open()
    finally:
        qtbot.waitUntil(lambda: kiosk.store is not None, timeout=30_000)
        kiosk.volunteer.lockdown.release()
        kiosk.close()
        kiosk.store.close()


GUI_THREAD_IMPORTS = """
import sys, threading
from pathlib import Path
loaded_on_the_gui_thread = set()
def audit(event, args):
    if event == "import" and threading.current_thread() is threading.main_thread():
        loaded_on_the_gui_thread.add(args[0].partition(".")[0])
sys.addaudithook(audit)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.app import start_kiosk
kiosk = start_kiosk(Path(sys.argv[1]), fullscreen=False)
def quit_once_the_store_is_attached():
    if kiosk.store is None:
        QTimer.singleShot(10, quit_once_the_store_is_attached)
    else:
        app.quit()  # attach_store ran whole: panel built, sync started
quit_once_the_store_is_attached()
app.exec()
heavy = {"sqlalchemy", "alembic", "reportlab", "httpx", "pydantic", "nacl", "qrcode"}
print(sorted(loaded_on_the_gui_thread & heavy))
kiosk.close()
kiosk.store.close()
"""


def test_the_gui_thread_never_loads_the_database_pdf_or_network_libraries(data_dir):
    """Loading SQLAlchemy, reportlab, httpx or pydantic takes the better part of a
    second; on the GUI thread that froze the attract screen right after its
    first frame. The store's worker thread loads them."""
    printed = run_python(GUI_THREAD_IMPORTS, str(data_dir), timeout=120)
    assert printed[-1] == "[]"


COLLECTED_ON = """
import gc, sys, threading
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.app import start_kiosk
kiosk = start_kiosk(Path(sys.argv[1]), fullscreen=False)
seen = []
class Cycle:
    def __init__(self):
        self.itself = self
    def __del__(self):
        seen.append(threading.current_thread().name)
def allocate():
    return [[n] for n in range(4 * gc.get_threshold()[0])]
kept = []
def once_ready():  # start-up collects nothing, then freezes what it made
    if kiosk.store is None:
        QTimer.singleShot(10, once_ready)
        return
    Cycle()
    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    kept.append(allocate())  # the GUI thread allocates too
    quit_once_collected()
def quit_once_collected():
    if seen:
        QApplication.exit(0)
    else:
        QTimer.singleShot(10, quit_once_collected)
QTimer.singleShot(0, once_ready)
app.exec()
print(seen)
"""


def test_garbage_is_collected_on_the_gui_thread_however_the_kiosk_is_started(data_dir):
    """A worker that allocates never collects: garbage holding Qt objects would be
    destroyed from the wrong thread (kiosk/gui_gc.py; CI once crashed so)."""
    printed = run_python(COLLECTED_ON, str(data_dir), timeout=60)
    assert printed[-1] == "['MainThread']"
