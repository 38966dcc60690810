"""Child process for tests/store/test_crash.py: saves signatures until it is killed.

`python -m tests.store.crash_writer DATA_DIR` forks a writer for each "fork N"
line it reads. A writer opens the store the way the app does, prints
"ready", then saves one signature after another from index N and prints
"<index> <uuid>" only after each save has committed. The content of
signature N is a function of N alone (`pledge_for`), so the test can check
every row it finds, printed or not.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.content import load_consent
from kiosk.pledge import Pledge, check_details
from kiosk.store import open_store, repository

MOMENT = datetime(2026, 6, 13, 11, 15, tzinfo=ZoneInfo("Europe/Stockholm"))
COMMITMENTS = ("bike-short-trips", "less-food-waste", "green-electricity", "buy-second-hand")
NAME_PREFIX = "Åsa Öberg-Nilsson "


def pledge_for(index: int) -> Pledge:
    """Signature number `index`: sizes vary, so some saves span many pages."""
    check = check_details(
        name=f"{NAME_PREFIX}{index}",
        email=f"signer.{index}@example.se" if index % 3 else "",
        postcode=f"{252 + index % 7} {index % 100:02d}",
        community_opt_in=index % 2 == 0,
        consent=True,
    )
    points = 20 + (index * 37) % 2500
    stroke = tuple(((i * 3 + index) % 1000, (i * 11) % 1000) for i in range(points))
    chosen = COMMITMENTS[: 1 + index % len(COMMITMENTS)]
    return Pledge(chosen, check.details, (stroke,), "sv" if index % 4 else "en")


def write_forever(data_dir: Path, first_index: int) -> None:
    store = open_store(data_dir)
    with store.session() as session:
        event = repository.ensure_current_event(session, default_name="Krocktest", now=MOMENT)
        session.commit()
    consent = {language: load_consent(language) for language in ("sv", "en")}
    print("ready", flush=True)
    index = first_index
    while True:
        pledge = pledge_for(index)
        signature_id = repository.save_signature(
            store, pledge, event_id=event.id, consent=consent[pledge.language], now=MOMENT
        )
        # One short write(2) to a pipe is atomic: a kill never leaves half a line.
        sys.stdout.write(f"{index} {signature_id}\n")
        sys.stdout.flush()
        index += 1


def serve(data_dir: Path) -> None:
    """Fork a fresh writer for each "fork N" line on stdin.

    Importing the app takes far longer than a round, so this process
    imports once and forks; each writer is a real process of its own that
    opens the store from scratch and is killed by the test. "dead PID" is
    printed only after the writer is gone, so everything it printed comes
    before it.
    """
    for line in sys.stdin:
        first_index = int(line.split()[1])
        pid = os.fork()
        if pid == 0:
            try:
                write_forever(data_dir, first_index)
            except BaseException as exc:
                print(f"error {exc!r}", flush=True)
            finally:
                os._exit(1)
        print(f"child {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"dead {pid} {status}", flush=True)


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
