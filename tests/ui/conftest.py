"""A whole kiosk on a real SQLite file, shown offscreen at a laptop's size."""

from __future__ import annotations

import pytest

from kiosk.app import build_kiosk


@pytest.fixture
def kiosk(qtbot, store, content, stall_event):  # type: ignore[no-untyped-def]
    built = build_kiosk(store, content)
    built.window.resize(1280, 800)
    built.window.show()
    qtbot.waitExposed(built.window)
    yield built
    qtbot.waitUntil(lambda: not built.flow.is_saving)
    built.close()
