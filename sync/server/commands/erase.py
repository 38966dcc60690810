"""`erase`: remove a signature from the central store when its signer withdraws."""

from __future__ import annotations

import argparse
from pathlib import Path

from sync.server.cli import UserError
from sync.server.commands.common import add_database_url, open_central_store_or_exit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "erase",
        help="central store: remove a signature (withdrawal code or email); kiosks follow",
        description="Remove the signature(s) with this withdrawal code (from the thank-you "
        "screen or receipt) or this email address, matched through its HMAC, so the "
        "address itself is never looked at. Only a tombstone stays (UUID and time, nothing "
        "personal); kiosks delete their copies at their next sync, and a copy uploaded "
        "again is refused as erased.",
    )
    add_database_url(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--code", help="the withdrawal code, e.g. WTZPP-KFGXF")
    which.add_argument("--email", metavar="ADDRESS", help="every signature with this email")
    parser.add_argument(
        "--campaign-keys",
        metavar="FILE",
        help="campaign.kiosk.json (its HMAC key matches --email); default: the development key",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sync.privacy.keys import CampaignKeyError, CampaignKeys, development_keys  # noqa: PLC0415
    from sync.privacy.withdrawal import normalise_code  # noqa: PLC0415
    from sync.server.repository import erase  # noqa: PLC0415

    code = hmac_value = None
    if args.code is not None:
        code = normalise_code(args.code)
        if code is None:
            raise UserError(f"{args.code!r} is not a withdrawal code (10 characters, check digit)")
    else:
        try:
            keys = (
                CampaignKeys.load(Path(args.campaign_keys).expanduser())
                if args.campaign_keys
                else development_keys()
            )
        except CampaignKeyError as exc:
            raise UserError(str(exc)) from exc
        hmac_value = keys.email_hmac(args.email)
        if hmac_value is None:
            raise UserError("--email needs an address")
    store = open_central_store_or_exit(args)
    try:
        with store.session() as session:
            erased = erase(session, withdrawal_code=code, email_hmac=hmac_value)
            session.commit()
    finally:
        store.close()
    if not erased:
        raise UserError("no signature matches; nothing was changed")
    print(f"Erased {len(erased)} signature(s); kiosks delete their copies at their next sync.")
    return 0
