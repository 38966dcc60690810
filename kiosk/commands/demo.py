"""`demo`: fill a new data folder with made-up signatures for training and benchmarks."""

from __future__ import annotations

import argparse

from kiosk.cli import UserError, add_data_dir
from kiosk.commands.common import data_dir_of, open_store_or_exit
from kiosk.content import ContentError, load_content


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="fill a NEW data folder with realistic made-up signatures",
        description="Fill a new data folder with made-up signatures over several events and "
        "days. Refuses a folder that already holds signatures, so made-up records can never "
        "mix with a stall's real ones.",
    )
    add_data_dir(parser)
    parser.add_argument("--count", type=int, default=500, metavar="N", help="how many (500)")
    parser.add_argument("--seed", type=int, default=2030, help="random seed (2030)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.demo import fill_demo  # noqa: PLC0415 - keeps `--help` fast

    if args.count < 1:
        raise UserError("--count must be at least 1")
    if "data_dir" not in args:
        raise UserError("demo needs --data-dir DIR (a new folder, never a stall's real one)")
    try:
        content = load_content()
    except ContentError as exc:
        raise UserError(f"the content file needs fixing: {exc}") from exc
    store = open_store_or_exit(args)
    try:
        written = fill_demo(store, content, count=args.count, seed=args.seed)
    except ValueError as exc:
        raise UserError(
            f"{data_dir_of(args)}: {exc}; demo data is only made in a new folder"
        ) from exc
    finally:
        store.close()
    print(f"Made {written} demo signatures in {data_dir_of(args)}")
    return 0
