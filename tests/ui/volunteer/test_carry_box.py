"""*Spara till USB* on the volunteer panel's sync page: a real store, a folder standing in
for the USB stick, the tap on the stick's button, and the words the volunteer reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.app import StoreSlot
from kiosk.i18n import Translator
from kiosk.store.models import SyncState
from kiosk.ui.volunteer.carry_box import FINGER_HEIGHT
from kiosk.ui.volunteer.sync_page import SyncPage
from kiosk.volunteer.controller import PanelController
from sync.carry import read_carry_file
from tests.conftest import make_pledge, save
from tests.fake_clock import FakeClock
from tests.sync.test_client import states


@pytest.fixture
def page(qtbot, store):  # type: ignore[no-untyped-def]
    controller = PanelController(StoreSlot(store), clock=FakeClock())
    made = SyncPage(controller, Translator("sv"))
    qtbot.addWidget(made)
    made.resize(1000, 800)
    made.show()
    yield made
    qtbot.waitUntil(controller.is_idle)
    controller.stop()


@pytest.fixture
def media(tmp_path: Path) -> Path:
    root = tmp_path / "media" / "volunteer"
    root.mkdir(parents=True)
    return root


def tap(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_saving_to_the_stick_writes_the_file_and_says_how_many(
    qtbot, page, store, market_day, media
):
    for index in range(3):
        save(store, make_pledge(f"Signer {index}"), now=market_day)
    stick = media / "KINGSTON"
    stick.mkdir()
    box = page.carry_box
    box.drive_roots = [media]
    page.refresh()
    qtbot.waitUntil(page.controller.is_idle)
    assert box.last_label.text() == "Inget har sparats till USB ännu."
    assert box.carry_button.height() >= FINGER_HEIGHT

    tap(qtbot, box.carry_button)
    assert [b.text() for b in box.drive_buttons] == ["KINGSTON"]
    assert box.drive_buttons[0].height() >= FINGER_HEIGHT
    tap(qtbot, box.drive_buttons[0])
    qtbot.waitUntil(lambda: "sparade" in box.message)

    files = list(stick.glob("klimatavtal-carry-*.json"))
    assert len(files) == 1 and read_carry_file(files[0].read_bytes()).count == 3
    assert box.message.startswith("3 underskrifter sparade i ")
    assert "osignerad" in box.message  # this kiosk was never enrolled: said plainly
    assert box.last_label.text().endswith(": 3 underskrifter.")
    assert states(store) == {SyncState.PENDING: 3}  # pending until a sync confirms them
    assert box.carry_button.isEnabled() and not box.other_button.isVisible()


def test_without_a_stick_the_volunteer_may_choose_any_folder(
    qtbot, page, store, market_day, media, tmp_path
):
    save(store, now=market_day)
    folder = tmp_path / "chosen"
    folder.mkdir()
    box = page.carry_box
    box.drive_roots = [media]
    box.choose_folder = lambda: str(folder)

    tap(qtbot, box.carry_button)
    assert box.drive_buttons == [] and "Ingen USB-sticka hittades" in box.message
    tap(qtbot, box.other_button)
    qtbot.waitUntil(lambda: "sparad" in box.message)

    assert box.message.startswith("1 underskrift sparad i ")
    assert len(list(folder.glob("klimatavtal-carry-*.json"))) == 1


def test_with_nothing_pending_no_file_is_written(qtbot, page, media):
    stick = media / "SANDISK"
    stick.mkdir()
    box = page.carry_box
    box.drive_roots = [media]

    tap(qtbot, box.carry_button)
    tap(qtbot, box.drive_buttons[0])
    qtbot.waitUntil(lambda: "ingen fil" in box.message)

    assert box.message == "Inget väntar på att skickas; ingen fil sparades."
    assert list(stick.iterdir()) == []
