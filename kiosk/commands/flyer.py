"""`flyer`: the campaign flyer with its QR code, as a PDF to print."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import UserError
from kiosk.commands.output import check_output, save_pdf
from kiosk.content import LANGUAGES, ContentError, load_content


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "flyer",
        help="make the QR flyer (A6, A5, A4, or several up on A4 with crop marks)",
        description="Make the campaign flyer as a PDF. With --up, several flyers are put on "
        "one A4 sheet with crop marks: 4 × A6 or 2 × A5. With --event, the QR code's address "
        "carries utm_source=kiosk&utm_medium=flyer&utm_campaign=<event>, so the campaign "
        "sees which stall a web signer came from.",
    )
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    parser.add_argument("--size", choices=("a6", "a5", "a4"), default="a6")
    parser.add_argument("--up", type=int, default=1, metavar="N", help="flyers per A4 sheet")
    parser.add_argument("--lang", choices=LANGUAGES, default="sv")
    parser.add_argument("--event", metavar="NAME", help="the stall's event, for tracking")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.documents import FLYER_LAYOUTS, FlyerOptions, make_flyer  # noqa: PLC0415

    out = check_output(args.out)
    if (args.size, args.up) not in FLYER_LAYOUTS:
        ups = sorted(up for size, up in FLYER_LAYOUTS if size == args.size)
        raise UserError(
            f"--up {args.up} does not fit {args.size.upper()}; "
            f"choose --up {' or '.join(map(str, ups))}"
        )
    try:
        content = load_content()
    except ContentError as exc:
        raise UserError(str(exc)) from exc
    options = FlyerOptions(size=args.size, up=args.up, language=args.lang, event=args.event)
    save_pdf(out, make_flyer(content, options))
    return 0
