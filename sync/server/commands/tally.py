"""`tally`: counts of signatures gathered elsewhere (web form, paper), per source."""

from __future__ import annotations

import argparse

from sync.server.cli import UserError
from sync.server.commands.common import add_database_url, open_central_store_or_exit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "tally",
        help="central store: add signatures counted elsewhere (web, paper) to the total",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add N signatures from a source (negative N corrects an earlier count)",
    )
    add.add_argument("--source", required=True, help="where they were gathered, e.g. web, paper")
    add.add_argument("--count", type=int, required=True, metavar="N")
    add.add_argument("--note", default="", help="a short note for the other organisers")
    listing = actions.add_parser("list", help="totals per source, and the campaign total")
    for sub in (add, listing):
        add_database_url(sub)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sync.server import repository  # noqa: PLC0415

    store = open_central_store_or_exit(args)
    try:
        with store.session() as session:
            if args.action == "add":
                try:
                    repository.add_tally(
                        session, source=args.source, count=args.count, note=args.note
                    )
                except ValueError as exc:
                    raise UserError(str(exc)) from exc
                session.commit()
            stats = repository.stats(session)
    finally:
        store.close()
    print(f"Kiosks: {stats.kiosk_signatures}")
    for source, count in stats.sources.items():
        print(f"{source}: {count}")
    print(f"Campaign total: {stats.total}")
    return 0
