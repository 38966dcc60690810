"""`devices`: which kiosks may upload to the central store (add, list, revoke)."""

from __future__ import annotations

import argparse
import io

from sync.server.cli import UserError
from sync.server.commands.common import add_database_url, open_central_store_or_exit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "devices", help="central store: add, list or revoke the kiosks that may upload"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add a kiosk and print its token (shown only this once)",
        description="Add a kiosk. Its token is printed once; the store keeps only a hash.",
    )
    add.add_argument("name", help="a name for the kiosk, e.g. 'laptop-1'")
    add.add_argument(
        "--server",
        metavar="URL",
        help="the store's address as kiosks see it; with it, an enrolment code is printed",
    )
    add.add_argument(
        "--qr",
        action="store_true",
        help="also print the enrolment code as a QR code (needs --server)",
    )
    listing = actions.add_parser("list", help="list kiosks, revoked ones marked")
    revoke = actions.add_parser("revoke", help="revoke a kiosk's token (its uploads stop)")
    revoke.add_argument("name")
    for sub in (add, listing, revoke):
        add_database_url(sub)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sync.server import devices  # noqa: PLC0415

    if getattr(args, "qr", False) and not args.server:
        raise UserError("--qr needs --server URL (the address the kiosk will use)")
    store = open_central_store_or_exit(args)
    try:
        with store.session() as session:
            try:
                if args.action == "add":
                    device, token = devices.add_device(session, name=args.name)
                    session.commit()
                    _print_token(device.name, token, args.server, args.qr)
                elif args.action == "revoke":
                    device = devices.revoke_device(session, name=args.name)
                    session.commit()
                    print(f"Revoked {device.name}; its uploads are refused from now on.")
                else:
                    _print_list(devices.list_devices(session))
            except devices.DeviceError as exc:
                raise UserError(str(exc)) from exc
    finally:
        store.close()
    return 0


def _print_token(name: str, token: str, server: str | None, qr: bool) -> None:
    from sync.enrolment import enrolment_string  # noqa: PLC0415

    print(f"Added {name}. Its token (shown only now, keep it safe):")
    print(token)
    if server:
        code = enrolment_string(server, token)
        print(f"Enrol the kiosk with:\n  python main.py enroll --server {server} --token {token}")
        print(f"or with the enrolment code:\n  {code}")
        if qr:
            import qrcode  # noqa: PLC0415

            picture = qrcode.QRCode(border=2)
            picture.add_data(code)
            out = io.StringIO()
            picture.print_ascii(out=out, invert=True)
            print(out.getvalue())


def _print_list(devices) -> None:  # type: ignore[no-untyped-def]
    if not devices:
        print("No devices yet: add one with `devices add NAME`.")
        return
    for device in devices:
        state = (
            f"revoked {device.revoked_at_utc:%Y-%m-%d %H:%M}" if device.revoked_at_utc else "active"
        )
        seen = (
            f"{device.last_seen_at_utc:%Y-%m-%d %H:%M} UTC" if device.last_seen_at_utc else "never"
        )
        print(f"{device.name:30} {state:24} last upload: {seen}")
