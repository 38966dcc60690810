"""The attract screen reads at any window size, and fills a bare X screen; no signer
screen cuts a text short in any language or text size."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from tests.ui.helpers import choose_language
from tests.ui.ink import line_spans, right_aligned_arabic


@pytest.mark.parametrize("size", [(800, 560), (1024, 600), (1280, 800), (1920, 1080)])
def test_the_attract_screen_never_overlaps(qtbot, kiosk, size):
    kiosk.window.resize(*size)
    qtbot.waitUntil(lambda: kiosk.attract.size().width() == size[0])
    qtbot.wait(50)
    attract = kiosk.attract
    parts = [
        w for kind in (QLabel, QPushButton) for w in attract.findChildren(kind) if w.isVisible()
    ]
    assert len(parts) >= 6
    for widget in parts:
        assert attract.rect().contains(widget.geometry()), widget.objectName()
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            assert widget.height() >= needed, f"{widget.objectName()} is squeezed"
    for first, second in itertools.combinations(parts, 2):
        assert not first.geometry().intersects(second.geometry()), (
            first.objectName(),
            second.objectName(),
        )


def test_every_screen_speaks_in_the_campaigns_font_whatever_the_laptop_has(kiosk):
    """Noto Sans ships in resources/fonts; a bare laptop would otherwise show
    its own default (DejaVu Sans here), wider, and the goal would wrap."""
    for screen in (kiosk.attract, kiosk.commitments, kiosk.details, kiosk.sign, kiosk.thanks):
        for text in screen.findChildren(QLabel) + screen.findChildren(QPushButton):
            assert text.fontInfo().family() == "Noto Sans", text.objectName()


def test_the_attract_screen_switches_language(qtbot, kiosk):
    choose_language(qtbot, kiosk, kiosk.attract.language_button, "en")
    assert kiosk.attract.call_label.text() == "Sign the climate pledge"
    assert kiosk.attract.start_button.accessibleName() == "Sign now"
    assert "people in Helsingborg have signed" in kiosk.attract.count_label.text()
    choose_language(qtbot, kiosk, kiosk.attract.language_button, "ar")
    assert kiosk.attract.call_label.text() == "وقّع على ميثاق المناخ"
    choose_language(qtbot, kiosk, kiosk.attract.language_button, "sv")
    assert kiosk.attract.call_label.text() == "Skriv på klimatavtalet"


# The event loop, not QTest.qWait: qWait keeps Python's GIL while it sleeps,
# which starves the thread that opens the store.
FILLS_SCREEN = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.app import start_kiosk
kiosk = start_kiosk(Path(sys.argv[1]), fullscreen=True)
def quit_once_the_store_is_open():
    if kiosk.store is not None:
        app.exit(0)  # quit() would ask the locked-down window to close, and it refuses
poll = QTimer(interval=50)
poll.timeout.connect(quit_once_the_store_is_open)
poll.start()
QTimer.singleShot(60_000, lambda: app.exit(1))
app.exec()
if kiosk.store is None:
    sys.exit("the store did not open within 60 s")
screen = kiosk.window.screen().geometry()
print(kiosk.window.width(), kiosk.window.height(), screen.width(), screen.height())
kiosk.store.close()
"""


@pytest.mark.xvfb
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
def test_fullscreen_fills_a_bare_x_screen(tmp_path):
    """Without a window manager showFullScreen() alone leaves a small window."""
    result = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1366x768x24",
            sys.executable,
            "-c",
            FILLS_SCREEN,
            str(tmp_path / "data"),
        ],
        env={**_env(), "QT_QPA_PLATFORM": "xcb"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-800:]
    assert result.stdout.split() == ["1366", "768", "1366", "768"]


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


@pytest.mark.parametrize("large_text", [False, True], ids=["text", "large text"])
@pytest.mark.parametrize("language", ["sv", "en", "ar"])
def test_no_signer_screen_cuts_a_text_short(qtbot, kiosk, language, large_text):
    """Every word of every screen a signer sees, at a stall laptop's 1366×768."""
    volunteer = kiosk.volunteer
    volunteer.apply_settings(replace(volunteer.settings, large_text=large_text))
    kiosk.window.resize(1366, 768)
    kiosk.flow.offer_languages(("sv", "en", "ar"))
    kiosk.flow.set_language(language)
    for step in ("attract", "commitments", "details", "sign", "thanks"):
        kiosk.window.show_screen(step)
        qtbot.wait(20)  # layouts run
        screen = kiosk.window.current_screen()
        cut = [
            f"{widget.objectName()!r}: {widget.height()} of {needed} px"
            for widget in screen.findChildren(QLabel)
            if widget.isVisibleTo(screen)
            and widget.wordWrap()
            and widget.text().strip()
            and widget.height() < (needed := widget.heightForWidth(widget.width()))
        ]
        assert cut == [], step


def test_wrapped_arabic_on_every_signer_screen_ends_at_the_right_edge(qtbot, kiosk):
    """At large text the signer's hints and the withdrawal line wrap in Arabic; each
    line ends where the others do (see kiosk.ui.common.WordsLabel)."""
    volunteer = kiosk.volunteer
    volunteer.apply_settings(replace(volunteer.settings, large_text=True))
    kiosk.window.resize(1366, 768)
    kiosk.flow.offer_languages(("sv", "en", "ar"))
    kiosk.flow.set_language("ar")
    wrapped = []
    for step in ("attract", "commitments", "details", "sign", "thanks"):
        kiosk.window.show_screen(step)
        qtbot.wait(20)  # layouts run
        for widget in right_aligned_arabic(kiosk.window.current_screen()):
            ends = [right for _, right in line_spans(widget)]
            if len(ends) > 1:
                wrapped.append(widget.objectName())
                assert max(ends) - min(ends) <= 2, f"{step}: {widget.objectName()} {ends}"
    assert wrapped, "no Arabic text wraps on any screen: the check saw nothing"
