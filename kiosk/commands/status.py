"""`status`: how many signatures this kiosk holds, and how many wait for sync."""

from __future__ import annotations

import argparse
import json

from kiosk.cli import add_data_dir
from kiosk.commands.common import open_store_or_exit
from kiosk.store import repository


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("status", help="counts: total, today, per event, pending sync")
    add_data_dir(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def collect(store) -> dict:  # type: ignore[no-untyped-def]
    today = repository.local_now().date()
    with store.read_session() as session:
        events = repository.counts_per_event(session)
        current = repository.current_event(session)
        return {
            "data_dir": str(store.path.parent),
            "total": repository.count_signatures(session),
            "today": repository.count_signatures(session, local_date=today),
            "pending": repository.pending_count(session),
            "current_event": current.name if current else None,
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
    print(f"Data folder:      {status['data_dir']}")
    print(f"Signatures:       {status['total']}")
    print(f"Today:            {status['today']}")
    print(f"Waiting for sync: {status['pending']}")
    print(f"Current event:    {status['current_event'] or '(none)'}")
    if status["events"]:
        print("Per event:")
        for event in status["events"]:
            place = f", {event['place']}" if event["place"] else ""
            print(
                f"  {event['date']}  {event['name']}{place}: {event['signatures']}"
                f" ({event['pending']} waiting)"
            )
    return 0
