"""`enroll`: connect this kiosk to the central store with the token an organiser gave."""

from __future__ import annotations

import argparse

from kiosk.cli import UserError, add_data_dir
from kiosk.commands.common import open_store_or_exit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "enroll",
        help="connect this kiosk to the central store (token from `devices add`)",
        description="Check the token with the central store and remember the store's "
        "address and the token in the kiosk's database. Give --server and --token, "
        "or the enrolment code `devices add --server URL` printed.",
    )
    add_data_dir(parser)
    parser.add_argument("--server", metavar="URL", help="the central store, e.g. https://...")
    parser.add_argument("--token", help="the device token `devices add` printed")
    parser.add_argument("--code", help="an enrolment code (klimatavtal-enrol:?...) instead")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.privacy.local import kiosk_outbox  # noqa: PLC0415
    from sync.enrolment import EnrolmentError, enroll, parse_enrolment_string  # noqa: PLC0415

    server, token = args.server, args.token
    if args.code:
        try:
            server, token = parse_enrolment_string(args.code)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
    if not server or not token:
        raise UserError("enroll needs --server URL and --token TOKEN (or --code CODE)")
    store = open_store_or_exit(args)
    try:
        name = enroll(kiosk_outbox(store), server_url=server, token=token)
    except EnrolmentError as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()
    print(f"Enrolled as {name!r} with {server}. Signatures now sync there.")
    return 0
