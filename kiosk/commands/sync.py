"""`sync`: upload this kiosk's pending signatures now; exit 0 only when none are left."""

from __future__ import annotations

import argparse

from kiosk.cli import UserError, add_data_dir
from kiosk.commands.common import open_store_or_exit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="upload pending signatures to the central store now",
        description="Upload pending signatures, retrying with backoff. Exit status 0 when "
        "nothing is left pending, 1 when some still wait (the reason is printed), 2 when "
        "the kiosk is not enrolled.",
    )
    add_data_dir(parser)
    parser.add_argument(
        "--attempts", type=int, default=4, metavar="N", help="tries before giving up (4)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="afterwards, check per event that the store holds everything",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import httpx  # noqa: PLC0415

    from sync.client import Backoff, EnrolmentError, Uploader, sync_until_done  # noqa: PLC0415

    if args.attempts < 1:
        raise UserError("--attempts must be at least 1")
    store = open_store_or_exit(args)
    uploader = Uploader(store)
    try:
        outcome = sync_until_done(
            uploader, attempts=args.attempts, backoff=Backoff(base=1.0, cap=30.0)
        )
        if outcome.error is not None and outcome.error.kind == "not_enrolled":
            raise UserError(outcome.error.message)
        print(
            f"Sent {outcome.sent}, already there {outcome.duplicates}, "
            f"refused {outcome.refused}; waiting {outcome.pending}."
        )
        if outcome.error is not None:
            print(f"Problem: {outcome.error.message}")
        if args.check and outcome.error is None:
            try:
                checks = uploader.reconcile()
                for check in checks:
                    print(check.describe())
                if any(check.requeued for check in checks):
                    print("Sending again what the store was missing.")
                    outcome = uploader.sync_once()
            except (EnrolmentError, httpx.HTTPError) as exc:
                print(f"Problem: the check could not be done ({exc})")
                return 1
    finally:
        uploader.close()
        store.close()
    return 0 if outcome.done else 1
