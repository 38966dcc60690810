"""`status`: how many signatures this kiosk holds, and how many wait for sync."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.cli import add_data_dir
from kiosk.clock import Clock, current_clock_problem
from kiosk.commands.common import open_store_or_exit
from kiosk.store import Store, repository


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("status", help="counts: total, today, per event, pending sync")
    add_data_dir(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def _count_clock_unreliable(session) -> int:  # type: ignore[no-untyped-def]
    """Signatures saved while the laptop's clock was implausible (kept, sent marked)."""
    from sqlalchemy import func, select  # noqa: PLC0415

    from kiosk.store.models import Signature  # noqa: PLC0415

    query = select(func.count()).select_from(Signature).where(Signature.clock_unreliable)
    return session.scalar(query.where(Signature.practice.is_(False))) or 0


def collect(store: Store, clock: Clock | None = None) -> dict[str, Any]:
    from kiosk.carry import last_carry  # noqa: PLC0415
    from kiosk.i18n import Translator  # noqa: PLC0415
    from kiosk.store.keys import sealing_key_is_development  # noqa: PLC0415
    from kiosk.store.outbox import read_status  # noqa: PLC0415

    today = repository.local_now().date()
    clock_wrong = current_clock_problem(clock)
    sync = read_status(store).as_json()
    carried = last_carry(store)
    with store.read_session() as session:
        events = repository.counts_per_event(session)
        current = repository.current_event(session)
        return {
            "data_dir": str(store.path.parent),
            # The command line speaks English (the catalogue's words); the date for scripts.
            "clock_problem": clock_wrong.message(Translator("en")) if clock_wrong else None,
            "clock_date": clock_wrong.day.isoformat() if clock_wrong else None,
            "clock_unreliable": _count_clock_unreliable(session),
            "total": repository.count_signatures(session),
            "today": repository.count_signatures(session, local_date=today),
            "pending": repository.pending_count(session),
            "attract_count": repository.attract_count(session),
            "sync": sync,
            "last_success_utc": sync["last_success_utc"],
            "last_error": sync["last_error"],
            # A carry file marks nothing sent: the signatures stay pending until a sync.
            "last_carry": {
                "at_utc": carried.at_utc.isoformat(timespec="seconds"),
                "count": carried.count,
                "file": carried.file,
            }
            if carried
            else None,
            "current_event": current.name if current else None,
            "sealing_key_is_development": sealing_key_is_development(session),
            "events": [
                {
                    "name": e.name,
                    "place": e.place,
                    "date": e.date.isoformat(),
                    "signatures": e.signatures,
                    "pending": e.pending,
                }
                for e in events
            ],
        }


def run(args: argparse.Namespace) -> int:
    store = open_store_or_exit(args)
    try:
        status = collect(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    if status["clock_problem"]:
        print(f"CLOCK IS WRONG:   {status['clock_problem']}")
    print(f"Data folder:      {status['data_dir']}")
    print(f"Signatures:       {status['total']}")
    print(f"Today:            {status['today']}")
    print(f"Waiting for sync: {status['pending']}")
    print(f"Current event:    {status['current_event'] or '(none)'}")
    if status["clock_unreliable"]:
        print(
            f"Unreliable time:  {status['clock_unreliable']} signature(s) saved while the "
            "clock was wrong (kept and sent, marked)"
        )
    if status["sealing_key_is_development"]:
        print(
            "Campaign key:     DEVELOPMENT key - personal data sealed with it is NOT "
            "protected (python main.py keys import FILE)"
        )
    sync = status["sync"]
    if sync["enrolled"]:
        print(f"Central store:    {sync['server_url']}")
        print(f"Last sync:        {sync['last_success_utc'] or 'never'} (UTC)")
        if sync["store_total"] is not None:
            print(f"Campaign total:   {sync['store_total']} (as last heard)")
        if sync["refused"]:
            print(f"Refused by store: {sync['refused']} (kept here; see the volunteer panel)")
    else:
        print("Central store:    not enrolled (python main.py enroll ...)")
    if sync["last_error"]:
        print(f"Last problem:     {sync['last_error']}")
    if carried := status["last_carry"]:
        print(
            f"Saved to USB:     {carried['count']} signature(s) at {carried['at_utc']} (UTC) "
            f"in {carried['file']}; still waiting until a sync confirms them"
        )
    if status["events"]:
        print("Per event:")
        for event in status["events"]:
            place = f", {event['place']}" if event["place"] else ""
            print(
                f"  {event['date']}  {event['name']}{place}: {event['signatures']}"
                f" ({event['pending']} waiting)"
            )
    return 0
