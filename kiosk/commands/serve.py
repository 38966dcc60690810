"""`serve`: run the central store's HTTP API (FastAPI + uvicorn)."""

from __future__ import annotations

import argparse

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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415 - only the server needs it

    from sync.server import Settings, create_app  # noqa: PLC0415
    from sync.server.db import CentralStoreError  # noqa: PLC0415

    url = database_url_of(args)
    try:
        app = create_app(Settings(database_url=url))
    except CentralStoreError as exc:
        raise UserError(str(exc)) from exc
    print(f"Central store on http://{args.host}:{args.port} (API docs at /docs)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
