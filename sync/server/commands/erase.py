"""`erase`: remove a signature from the central store when its signer withdraws."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sync.server.cli import UserError
from sync.server.commands.common import add_database_url, open_central_store_or_exit

if TYPE_CHECKING:
    from sync.server.withdrawals import Match


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "erase",
        help="central store: remove a signature (withdrawal code or email); kiosks follow",
        description="Remove the signature with this withdrawal code (from the thank-you "
        "screen or receipt), or with this email address, matched through its HMAC, so the "
        "address itself is never looked at. Households may share an address: when several "
        "signatures have it, they are listed (event, date, kiosk, withdrawal code) and "
        "nothing is erased until you pick one with --code, or ask for --all. Only a "
        "tombstone stays (UUID and time, nothing personal); kiosks delete their copies at "
        "their next sync, and a copy uploaded again is refused as erased.",
    )
    add_database_url(parser)
    parser.add_argument("--code", help="the withdrawal code, e.g. WTZPP-KFGXF")
    parser.add_argument(
        "--email",
        metavar="ADDRESS",
        help="the signature with this email; with several, --code picks one or --all takes all",
    )
    parser.add_argument(
        "--all", action="store_true", help="with --email: every signature with that address"
    )
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
    from sync.server.withdrawals import signatures_with_email  # noqa: PLC0415

    if args.all and (args.email is None or args.code is not None):
        raise UserError("--all goes with --email (and without --code): every signature with it")
    if args.code is None and args.email is None:
        raise UserError("say which signature: --code CODE, or --email ADDRESS")
    code = hmac_value = None
    if args.code is not None:
        code = normalise_code(args.code)
        if code is None:
            raise UserError(f"{args.code!r} is not a withdrawal code (10 characters, check digit)")
    if args.email is not None:
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
            if hmac_value is not None and not args.all:
                code = _chosen_code(signatures_with_email(session, email_hmac=hmac_value), code)
            erased = erase(session, withdrawal_code=code, email_hmac=None if code else hmac_value)
            session.commit()
    finally:
        store.close()
    if not erased:
        raise UserError("no signature matches; nothing was changed")
    print(f"Erased {len(erased)} signature(s); kiosks delete their copies at their next sync.")
    return 0


def _chosen_code(matches: list[Match], code: str | None) -> str:
    """The one signature of this address to erase: the only one, or the one `code` picks.

    Several matches and no pick: list them and stop, so a shared household
    address never erases more signers than the one who asked.
    """
    if not matches:
        raise UserError("no signature matches; nothing was changed")
    if code is not None:
        if code not in {match.withdrawal_code for match in matches}:
            raise UserError(
                f"that code is not one of the {len(matches)} signatures with this address; "
                "nothing was changed"
            )
        return code
    if len(matches) == 1:
        return matches[0].withdrawal_code
    print("Signatures with this address (withdrawal code, date, event, kiosk):")
    for match in matches:
        print(f"  {match.describe()}")
    raise UserError(
        f"{len(matches)} signatures share this address; nothing was changed. Ask the signer "
        "for their withdrawal code or which event and day they signed, then run again with "
        "--code CODE, or with --all to erase every one of them"
    )
