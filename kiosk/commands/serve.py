"""`serve`: run the central store's HTTP API (FastAPI + uvicorn)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import UserError
from kiosk.commands.store_common import add_database_url, database_url_of


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the central store that kiosks sync to (API docs at /docs)",
        description="Run the central store's HTTP API. Kiosks upload signatures to it; "
        "GET /api/v1/stats gives the public counts; the API is documented at /docs.",
    )
    add_database_url(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    parser.add_argument(
        "--campaign-keys",
        metavar="DIR",
        help="folder with campaign.kiosk.json from `keys init`: handed to kiosks at enrolment",
    )
    parser.add_argument(
        "--goal", type=int, metavar="N", help="the public counter shows progress toward N"
    )
    parser.add_argument(
        "--retention-days",
        type=int,
        metavar="N",
        help="drop sealed personal data received more than N days ago, keeping the counts "
        "(default: kept for as long as the campaign runs)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415 - only the server needs it

    from kiosk.privacy.keys import KIOSK_FILE, CampaignKeyError, CampaignKeys  # noqa: PLC0415
    from sync.server import Settings, create_app  # noqa: PLC0415
    from sync.server.db import CentralStoreError  # noqa: PLC0415

    url = database_url_of(args)
    keys = None
    if args.campaign_keys:
        try:
            keys = CampaignKeys.load(Path(args.campaign_keys).expanduser() / KIOSK_FILE)
        except CampaignKeyError as exc:
            raise UserError(str(exc)) from exc
    if args.retention_days is not None and args.retention_days < 1:
        raise UserError("--retention-days must be 1 or more")
    try:
        app = create_app(
            Settings(
                database_url=url,
                campaign_keys=keys,
                retention_days=args.retention_days,
                goal=args.goal,
            )
        )
    except CentralStoreError as exc:
        raise UserError(str(exc)) from exc
    print(f"Central store on http://{args.host}:{args.port} (API docs at /docs)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
