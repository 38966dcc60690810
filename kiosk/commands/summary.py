"""`summary`: counts and charts for one event or a date range, as a PDF."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from kiosk.cli import UserError, add_data_dir
from kiosk.commands.common import data_dir_of, open_store_or_exit
from kiosk.commands.output import check_output, save_pdf
from kiosk.content import LANGUAGES, ContentError, load_content
from kiosk.paths import database_path


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-06-13") from exc


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "summary",
        help="PDF summary of one event or a date range (counts only, no personal data)",
        description="Make a PDF summary: total, per day and per hour, commitments chosen, "
        "postcode areas, opt-ins and events held. Counts only; practice signatures are "
        "left out. Without --event or --from/--to, the current event is summarised.",
    )
    add_data_dir(parser)
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    parser.add_argument("--event", metavar="NAME", help="the newest event with this name")
    parser.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD")
    parser.add_argument("--lang", choices=LANGUAGES, default="sv")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.documents import SummaryError, build_summary  # noqa: PLC0415
    from kiosk.i18n import Translator  # noqa: PLC0415
    from kiosk.store import repository  # noqa: PLC0415

    out = check_output(args.out)
    if args.event and (args.start or args.end):
        raise UserError("give either --event NAME or --from/--to, not both")
    if (args.start is None) != (args.end is None):
        raise UserError("--from and --to go together")
    if args.start and args.end and args.start > args.end:
        raise UserError(f"--from {args.start} is after --to {args.end}")
    if not database_path(data_dir_of(args)).exists():
        raise UserError(f"{data_dir_of(args)} holds no kiosk data (no database there)")
    try:
        content = load_content()
    except ContentError as exc:
        raise UserError(str(exc)) from exc
    store = open_store_or_exit(args)
    try:
        event_name = args.event
        if event_name is None and args.start is None:
            with store.read_session() as session:
                current = repository.current_event(session)
            if current is None:
                raise UserError("no current event; give --event NAME or --from/--to")
            event_name = current.name
        pdf = build_summary(
            store,
            content,
            event_name=event_name,
            start=args.start,
            end=args.end,
            language=args.lang,
        )
    except SummaryError as exc:
        raise UserError(exc.message(Translator(language=args.lang))) from exc
    finally:
        store.close()
    save_pdf(out, pdf)
    return 0
