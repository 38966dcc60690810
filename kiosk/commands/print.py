"""`print`: send a PDF (a flyer, a summary) to a printer through CUPS."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import UserError
from kiosk.content import LANGUAGES


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "print",
        help="print a PDF on a CUPS printer and wait until it is done",
        description="Print a PDF through CUPS and wait for the printer: an offline printer, "
        "one out of paper, or a cancelled job is reported and the exit status is non-zero.",
    )
    parser.add_argument("file", type=Path, metavar="FILE.pdf")
    parser.add_argument("--printer", metavar="NAME", help="CUPS queue (default: the default)")
    parser.add_argument("--copies", type=int, default=1, metavar="N")
    parser.add_argument("--lang", choices=LANGUAGES, default="sv", help="language of messages")
    parser.add_argument(
        "--timeout", type=float, default=60.0, metavar="SECONDS", help="how long to wait (60)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.i18n import Translator  # noqa: PLC0415
    from kiosk.printing.cups import PrintError, print_pdf  # noqa: PLC0415

    if not 1 <= args.copies <= 100:
        raise UserError("--copies must be between 1 and 100")
    if not args.file.is_file():
        raise UserError(f"{args.file}: no such file")
    with args.file.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise UserError(f"{args.file} is not a PDF")
    tr = Translator(language=args.lang)
    try:
        outcome = print_pdf(
            args.file.resolve(),
            printer=args.printer,
            copies=args.copies,
            title=args.file.stem,
            timeout=args.timeout,
        )
    except PrintError as exc:
        raise UserError(exc.message(tr)) from exc
    done = "print.printed" if outcome.completed else "print.sent"
    print(tr(done, printer=outcome.printer))
    return 0
