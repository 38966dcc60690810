"""`export`: the central store's signatures as a spreadsheet-safe CSV for organisers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sync.server.cli import UserError
from sync.server.commands.common import add_database_url, open_central_store_or_exit

# Exit status when the file was written but some records could not be opened.
SOME_UNOPENED = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="central store: write signatures to a CSV file (UTF-8, opens in Excel)",
        description="Write the central store's signatures to CSV: UTF-8 with BOM, cells "
        "that would start a formula escaped. Drawn signatures are not included. Names, "
        "emails and postcodes are sealed: they are in the file only with --private-key "
        "(its passphrase is asked for; with stdin not a terminal, its first line). "
        "Records the key cannot open are left out, listed on stderr and in "
        "FILE.unopened.csv beside the export, and the exit status is 3.",
    )
    add_database_url(parser)
    parser.add_argument("--out", required=True, metavar="FILE.csv", help="the file to write")
    parser.add_argument("--event", metavar="NAME", help="only this event (by name)")
    parser.add_argument(
        "--private-key",
        metavar="FILE",
        help="campaign.private.json from `keys init`: include names, emails and postcodes",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sync.privacy.keys import CampaignKeyError, CampaignPrivateKey  # noqa: PLC0415
    from sync.privacy.passphrase import ask_passphrase  # noqa: PLC0415
    from sync.server.export import (  # noqa: PLC0415
        event_names,
        export_csv,
        unopened_report_path,
        write_unopened_report,
    )

    out = Path(args.out).expanduser()
    if not out.parent.is_dir():
        raise UserError(f"{out.parent} is not a folder")
    private_key = None
    if args.private_key:
        try:
            private_key = CampaignPrivateKey.load(
                Path(args.private_key).expanduser(), ask_passphrase("Private key passphrase: ")
            )
        except CampaignKeyError as exc:
            raise UserError(f"{exc}; nothing was written") from exc
    store = open_central_store_or_exit(args)
    try:
        with store.session() as session:
            if args.event is not None and args.event not in event_names(session):
                known = ", ".join(event_names(session)) or "none yet"
                raise UserError(f"no event named {args.event!r} (events: {known})")
            report = unopened_report_path(out)
            try:
                result = export_csv(
                    session, out=out, event_name=args.event, private_key=private_key
                )
                if result.unopened:
                    write_unopened_report(report, result.unopened)
                else:
                    report.unlink(missing_ok=True)  # a stale list would mislead
            except OSError as exc:
                raise UserError(f"{exc.filename} could not be written: {exc.strerror}") from exc
            except CampaignKeyError as exc:
                raise UserError(f"{exc}; nothing was written") from exc
    finally:
        store.close()
    print(f"Wrote {result.written} signatures to {out}")
    if not result.unopened:
        return 0
    for record in result.unopened:
        print(
            f"not opened: {record.id} (kiosk {record.device}, {record.event} {record.event_date})",
            file=sys.stderr,
        )
    print(
        f"klimatavtal-store: {len(result.unopened)} records could not be opened with this "
        f"key and are not in {out.name} (sealed with another campaign key, or damaged): "
        f"listed above and in {report}",
        file=sys.stderr,
    )
    return SOME_UNOPENED
