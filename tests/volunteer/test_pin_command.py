"""`python main.py pin reset --data-dir DIR` for a forgotten PIN."""

from __future__ import annotations

from kiosk.cli import main
from kiosk.store import open_store
from kiosk.volunteer.pin import MAX_TRIES, PinKeeper


def test_pin_reset_forgets_pin_and_lockout(data_dir, capsys):
    store = open_store(data_dir)
    keeper = PinKeeper(store)
    keeper.set_pin("482916")
    for _ in range(MAX_TRIES):
        keeper.check("000000")
    store.close()
    assert main(["pin", "reset", "--data-dir", str(data_dir)]) == 0
    assert "reset" in capsys.readouterr().out
    store = open_store(data_dir)
    try:
        keeper = PinKeeper(store)
        assert not keeper.has_pin() and keeper.locked_for() == 0
    finally:
        store.close()
