"""A whole kiosk on a real SQLite file, shown offscreen at a laptop's size, on a fake clock."""

from __future__ import annotations

import pytest

from kiosk.app import build_kiosk
from tests.fake_clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    """The kiosk's clock: idle resets, the panel's idle time and PIN lockouts follow it."""
    return FakeClock()


@pytest.fixture
def kiosk(qtbot, store, content, stall_event, clock):  # type: ignore[no-untyped-def]
    built = build_kiosk(store, content, clock=clock)
    built.window.resize(1280, 800)
    built.window.show()
    qtbot.waitExposed(built.window)
    qtbot.waitUntil(built.controller.is_idle)  # settings, event and practice are read
    yield built
    qtbot.waitUntil(lambda: not built.flow.is_saving)
    built.close()
