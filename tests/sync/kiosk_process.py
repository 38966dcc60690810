"""One kiosk as its own process, for the load test: wait for the start, then sync.

python -m tests.sync.kiosk_process DATA_DIR GO_FILE
waits until the test has filled and enrolled DATA_DIR (it writes `prepared`),
says `ready`, waits for GO_FILE, syncs, and exits 0 once nothing is pending.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from sync.client import Backoff, Uploader, sync_until_done


def main(argv: list[str]) -> int:
    data_dir, go_file = argv
    while not Path(data_dir, "prepared").exists():
        time.sleep(0.01)
    store = open_store(Path(data_dir))
    try:
        Path(data_dir, "ready").touch()
        while not Path(go_file).exists():
            time.sleep(0.01)
        with Uploader(kiosk_outbox(store)) as uploader:
            outcome = sync_until_done(uploader, attempts=20, backoff=Backoff(base=0.05, cap=1.0))
    finally:
        store.close()
    print(outcome, flush=True)
    return 0 if outcome.done else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
