"""`keys`: make the campaign's keys (organisers) and give a kiosk its public part."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.cli import UserError, add_data_dir
from kiosk.commands.common import open_store_or_exit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "keys", help="campaign keys: make them (init), give a kiosk the public part (import)"
    )
    actions = parser.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="make the campaign key pair and email HMAC key in a folder",
        description="Writes campaign.kiosk.json (public key + email HMAC key, for kiosks and "
        "the central store) and campaign.private.json (the private key, encrypted with a "
        "passphrase asked for twice; with stdin not a terminal, its first line). Keep the "
        "private file with the organisers: never on a kiosk or the central store.",
    )
    init.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    init.set_defaults(func=run_init)
    load = actions.add_parser(
        "import",
        help="make this kiosk seal with the campaign's public key (campaign.kiosk.json)",
    )
    add_data_dir(load)
    load.add_argument("file", metavar="FILE", help="campaign.kiosk.json from `keys init`")
    load.set_defaults(func=run_import)
    show = actions.add_parser("show", help="which key this kiosk seals with")
    add_data_dir(show)
    show.set_defaults(func=run_show)


def run_init(args: argparse.Namespace) -> int:
    from sync.privacy.keys import KIOSK_FILE, PRIVATE_FILE, CampaignKeyError, init_keys  # noqa: PLC0415
    from sync.privacy.passphrase import PassphraseMismatch, ask_passphrase  # noqa: PLC0415

    out = Path(args.out).expanduser()
    try:
        passphrase = ask_passphrase("New passphrase for the private key: ", confirm=True)
        init_keys(out, passphrase)
    except (CampaignKeyError, PassphraseMismatch) as exc:
        raise UserError(str(exc)) from exc
    print(f"Wrote {out / KIOSK_FILE} (for kiosks and the central store)")
    print(f"Wrote {out / PRIVATE_FILE} (organisers only: keep it, and its passphrase, safe)")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from kiosk.privacy.sealing import install_keys  # noqa: PLC0415
    from sync.privacy.keys import CampaignKeyError, CampaignKeys  # noqa: PLC0415

    try:
        keys = CampaignKeys.load(Path(args.file).expanduser())
    except CampaignKeyError as exc:
        raise UserError(str(exc)) from exc
    store = open_store_or_exit(args)
    try:
        with store.session() as session, session.begin():
            install_keys(session, keys)
    finally:
        store.close()
    note = " (a DEVELOPMENT key: data sealed with it is NOT protected)" if keys.development else ""
    print(f"This kiosk now seals personal data with the campaign key{note}.")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from kiosk.store.keys import configured_keys  # noqa: PLC0415

    store = open_store_or_exit(args)
    try:
        with store.read_session() as session:
            keys = configured_keys(session)
    finally:
        store.close()
    print(json.dumps({"public_key": keys.to_json()["public_key"], "development": keys.development}))
    return 0
