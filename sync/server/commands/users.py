"""`users`: the organiser console's accounts (add, list, passwd, remove).

A password is never an argument (`ps` and shell history would see it): it is
asked twice at a terminal, and read from stdin's first line otherwise (a
script, a password manager, a test), like `keys init`.
"""

from __future__ import annotations

import argparse
import getpass
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "users", help="central store: organiser console accounts (add, list, passwd, remove)"
    )
    actions = parser.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add an account; its password is asked twice",
        description="Roles: viewer sees the counts; organiser also events, kiosks, tallies "
        "and exports; admin also erasure and the audit log.",
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("admin", "organiser", "viewer"))
    listing = actions.add_parser("list", help="list accounts and their roles")
    passwd = actions.add_parser("passwd", help="set a new password (its sessions end)")
    passwd.add_argument("name")
    remove = actions.add_parser("remove", help="remove an account (its sessions end)")
    remove.add_argument("name")
    for sub in (add, listing, passwd, remove):
        sub.add_argument(
            "--database-url",
            metavar="URL",
            default=None,
            help="the central store's database (default: $KLIMATAVTAL_STORE_DATABASE_URL, "
            "else central-store.sqlite3 in the user data folder for klimatavtal-store)",
        )
    parser.set_defaults(func=run)


def ask_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again, to be sure: ") != first:
        raise SystemExit("klimatavtal-store: the two passwords differ; nothing was changed")
    return first


def run(args: argparse.Namespace) -> int:
    from sync.server.console import accounts, audit  # noqa: PLC0415
    from sync.server.db import (  # noqa: PLC0415
        CentralStoreError,
        default_database_url,
        open_central_store,
    )
    from sync.server.devices import utc_now  # noqa: PLC0415

    try:
        store = open_central_store(args.database_url or default_database_url())
    except CentralStoreError as exc:
        raise SystemExit(f"klimatavtal-store: {exc}") from exc
    try:
        with store.session() as session:
            action = args.users_action
            try:
                if action == "list":
                    users = accounts.list_users(session)
                    if not users:
                        print("No accounts yet: add the first admin: users add NAME --role admin")
                    for user in users:
                        print(f"{user.name:30} {user.role:10} added {user.created_at_utc:%Y-%m-%d}")
                    return 0
                now = utc_now()
                if action == "add":
                    password = ask_password()
                    user = accounts.add_user(
                        session, name=args.name, role=args.role, password=password, now=now
                    )
                    detail, done = (
                        f"{user.name} added as {user.role}",
                        f"Added {user.name} ({user.role}).",
                    )
                elif action == "passwd":
                    password = ask_password()
                    accounts.set_password(session, name=args.name, password=password)
                    detail, done = (
                        f"{args.name}: new password",
                        f"New password set for {args.name}.",
                    )
                else:
                    accounts.remove_user(session, name=args.name)
                    detail, done = f"{args.name} removed", f"Removed {args.name}."
            except accounts.AccountError as exc:
                raise SystemExit(f"klimatavtal-store: {exc}; nothing was changed") from exc
            audit.record(
                session, now=now, actor="(command line)", action="user.changed", detail=detail
            )
            session.commit()
            print(done)
    finally:
        store.close()
    return 0
