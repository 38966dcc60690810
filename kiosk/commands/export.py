"""`export`: the central store's signatures as a spreadsheet-safe CSV for organisers."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import UserError
from kiosk.commands.store_common import add_database_url, open_central_store_or_exit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="central store: write signatures to a CSV file (UTF-8, opens in Excel)",
        description="Write the central store's signatures to CSV: UTF-8 with BOM, cells "
        "that would start a formula escaped. Drawn signatures are not included.",
    )
    add_database_url(parser)
    parser.add_argument("--out", required=True, metavar="FILE.csv", help="the file to write")
    parser.add_argument("--event", metavar="NAME", help="only this event (by name)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sync.server.export import event_names, export_csv  # noqa: PLC0415

    out = Path(args.out).expanduser()
    if not out.parent.is_dir():
        raise UserError(f"{out.parent} is not a folder")
    store = open_central_store_or_exit(args)
    try:
        with store.session() as session:
            if args.event is not None and args.event not in event_names(session):
                known = ", ".join(event_names(session)) or "none yet"
                raise UserError(f"no event named {args.event!r} (events: {known})")
            try:
                written = export_csv(session, out=out, event_name=args.event)
            except OSError as exc:
                raise UserError(f"{out} could not be written: {exc.strerror}") from exc
    finally:
        store.close()
    print(f"Wrote {written} signatures to {out}")
    return 0
