"""`sync`: upload this kiosk's pending signatures now; exit 0 only when none are left."""

from __future__ import annotations

import argparse

from kiosk.cli import UserError, add_data_dir
from kiosk.commands.common import open_store_or_exit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="upload pending signatures to the central store now",
        description="Upload pending signatures, retrying with backoff. Exit status 0 when "
        "nothing is left pending (and, with --check, none is refused and every event "
        "matches), 1 when some still wait (the reason is printed), 2 when the kiosk is "
        "not enrolled.",
    )
    add_data_dir(parser)
    parser.add_argument(
        "--attempts", type=int, default=4, metavar="N", help="tries before giving up (4)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="afterwards, check per event that the store holds everything, and count "
        "refused signatures",
    )
    parser.add_argument(
        "--retry-refused",
        action="store_true",
        help="first queue the signatures the store refused again (their reasons are kept)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.privacy.local import kiosk_outbox  # noqa: PLC0415
    from kiosk.store.outbox import read_status  # noqa: PLC0415
    from sync.client import Backoff, Uploader, sync_until_done  # noqa: PLC0415
    from sync.problems import ProblemKind, SyncError  # noqa: PLC0415

    if args.attempts < 1:
        raise UserError("--attempts must be at least 1")
    store = open_store_or_exit(args)
    outbox = kiosk_outbox(store)
    uploader = Uploader(outbox)
    try:
        if args.retry_refused:
            print(f"Queued {outbox.retry_refused()} refused signature(s) to be sent again.")
        outcome = sync_until_done(
            uploader, attempts=args.attempts, backoff=Backoff(base=1.0, cap=30.0)
        )
        if outcome.error is not None and outcome.error.kind == ProblemKind.NOT_ENROLLED:
            raise UserError(outcome.error.message)
        print(
            f"Sent {outcome.sent}, already there {outcome.duplicates}, "
            f"refused {outcome.refused}; waiting {outcome.pending}."
        )
        if outcome.error is not None:
            print(f"Problem: {outcome.error.message}")
        if not args.check:
            return 0 if outcome.done else 1
        if outcome.error is None:
            try:
                checks = uploader.reconcile()
            except SyncError as exc:
                print(f"Problem: the check could not be done ({exc})")
                return 1
            for check in checks:
                print(check.describe())
            if any(check.requeued for check in checks):
                print("Sending again what the store was missing.")
                outcome = uploader.sync_once()
            if not all(check.matches for check in checks) and outcome.pending:
                print(f"Problem: {outcome.pending} still wait to be sent.")
        refused = read_status(store).refused
        if refused:
            print(
                f"Problem: {refused} signature(s) were refused and are kept here; "
                "see why with `status`, send them again with `sync --retry-refused`."
            )
    finally:
        uploader.close()
        store.close()
    return 0 if outcome.done and not refused else 1
