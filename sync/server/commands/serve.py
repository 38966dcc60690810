"""`serve`: run the central store's HTTP API (FastAPI + uvicorn), with limits.

The store may face the open internet, so uvicorn runs with a keep-alive
timeout, a header deadline and a connection cap (`sync.server.connections`),
bounded header size and backlog; bodies are limited by the app's middleware.
The process's open-files limit is raised to its hard limit at start, and a
flood is logged once a minute, not once per connection. In production a
reverse proxy in front should set the same limits (README, "Running the
store in production").
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import sys
from typing import TYPE_CHECKING

from sync.server.cli import UserError
from sync.server.commands.common import add_database_url

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

    from sync.server.settings import Settings

# File descriptors kept back from the connection cap: the database, logs, imports.
RESERVED_FILES = 64
HEADER_BYTES = 16 * 1024  # h11's largest request line plus headers
BACKLOG = 2048

# Flags whose value, when given, overrides the KLIMATAVTAL_STORE_* environment.
SETTING_FLAGS = (
    "database_url",
    "host",
    "port",
    "campaign_keys_dir",
    "retention_days",
    "goal",
    "behind_proxy",
    "console_idle_minutes",
    "ssl_certfile",
    "ssl_keyfile",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the central store that kiosks sync to (API docs at /docs)",
        description="Run the central store's HTTP API. Kiosks upload signatures to it; "
        "GET /api/v1/stats gives the public counts; the API is documented at /docs. "
        "Every option can also be set as KLIMATAVTAL_STORE_<OPTION> in the environment "
        "(e.g. KLIMATAVTAL_STORE_CAMPAIGN_KEYS_DIR); a flag wins.",
    )
    add_database_url(parser)
    parser.add_argument("--host", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (8000)")
    parser.add_argument(
        "--campaign-keys",
        dest="campaign_keys_dir",
        metavar="DIR",
        help="folder with campaign.kiosk.json from `keys init`: handed to kiosks at enrolment",
    )
    parser.add_argument(
        "--retention-days",
        type=int,
        metavar="N",
        help="drop sealed personal data received more than N days ago, keeping the counts "
        "(default: kept for as long as the campaign runs)",
    )
    parser.add_argument(
        "--goal", type=int, metavar="N", help="the public counter shows progress toward N"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve from N processes (they share nothing but the database: use PostgreSQL)",
    )
    parser.add_argument(
        "--behind-proxy",
        action="store_const",
        const=True,
        help="an HTTPS reverse proxy on this machine forwards to the store: believe its "
        "X-Forwarded-For and X-Forwarded-Proto (otherwise never)",
    )
    parser.add_argument(
        "--console-idle-minutes",
        type=int,
        metavar="N",
        help="an organiser's console login ends after N minutes without a request (30)",
    )
    parser.add_argument("--ssl-certfile", metavar="FILE", help="serve HTTPS with this certificate")
    parser.add_argument("--ssl-keyfile", metavar="FILE", help="and this private key")
    parser.add_argument(
        "--production",
        action="store_const",
        const="production",
        dest="environment",
        help="refuse unsafe settings: no or DEVELOPMENT campaign keys, plain http on a "
        "public address (same as KLIMATAVTAL_STORE_ENVIRONMENT=production)",
    )
    parser.set_defaults(func=run)


def store_environment(given: dict[str, object]) -> None:
    """Hand the flags to worker processes as the KLIMATAVTAL_STORE_* they read."""
    import os  # noqa: PLC0415

    from sync.server.settings import ENV_PREFIX  # noqa: PLC0415

    for name, value in given.items():
        if value is not None:
            os.environ[f"{ENV_PREFIX}{name.upper()}"] = str(value)


def app_from_environment():  # type: ignore[no-untyped-def]
    """One worker's app (`serve --workers N`), its settings from the environment."""
    from sync.server.app import create_app  # noqa: PLC0415
    from sync.server.settings import Settings  # noqa: PLC0415

    app = create_app(Settings())
    freeze_start_up()
    return app


def freeze_start_up() -> None:
    """Leave what start-up made (modules, the app, SQLAlchemy's and pydantic's tables)
    out of every garbage collection from now on: each upload makes thousands of
    objects, and the collections they set off went through all of start-up's as
    well, ~20% of the store's time per batch in bench_sync's profile. Collected once
    first, so start-up's garbage is freed rather than kept."""
    import gc  # noqa: PLC0415

    gc.collect()
    gc.freeze()


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn  # noqa: PLC0415 - only the server needs it
        from pydantic import ValidationError  # noqa: PLC0415

        from sync.server.app import create_app  # noqa: PLC0415
        from sync.server.db import CentralStoreError  # noqa: PLC0415
        from sync.server.settings import Settings  # noqa: PLC0415
    except ImportError as exc:
        raise UserError(
            f"serve needs the central store's packages ({exc.name} is missing): "
            "pip install '.[store]'"
        ) from exc

    given = {name: getattr(args, name) for name in (*SETTING_FLAGS, "environment")}
    try:
        settings = Settings(**{name: value for name, value in given.items() if value is not None})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc'])) or 'settings'}: {error['msg']}"
            for error in exc.errors()
        )
        raise UserError(problems) from exc
    try:
        app = create_app(settings)
    except CentralStoreError as exc:
        raise UserError(str(exc)) from exc
    scheme = "https" if settings.ssl_certfile else "http"
    print(
        f"Central store on {scheme}://{settings.host}:{settings.port} (API docs at /docs)",
        flush=True,
    )
    if args.workers < 1:
        raise UserError("--workers must be 1 or more")
    if args.workers == 1:
        server = uvicorn.Server(server_config(app, settings))
        freeze_start_up()
        server.run()
        return 0
    # Each worker process builds its own app from the environment (uvicorn needs a
    # factory by import string); the store was migrated once, above, by this one.
    store_environment(given)
    app.state.store.close()
    config = server_config(f"{__name__}:app_from_environment", settings, workers=args.workers)
    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415

    from sync.server.workers import SpreadWorkers, spreads_connections  # noqa: PLC0415

    if spreads_connections():
        SpreadWorkers(config).run()
    else:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    return 0


def raise_files_limit() -> int:
    """Raise the soft open-files limit to the hard one; return the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as exc:
            print(f"warning: open-files limit stays at {soft}: {exc}", file=sys.stderr, flush=True)
    return soft


def server_config(app: FastAPI | str, settings: Settings, *, workers: int = 1) -> uvicorn.Config:
    """uvicorn's configuration for `settings`: every timeout and limit set.

    With several workers `app` is a factory's import string, and the limits
    travel to the worker processes in their environment.
    """
    import os  # noqa: PLC0415

    import uvicorn  # noqa: PLC0415

    from sync.server.connections import (  # noqa: PLC0415
        HEADER_TIMEOUT_VARIABLE,
        MAX_CONNECTIONS_VARIABLE,
        guarded_h11,
    )
    from sync.server.floodlog import quiet_floods  # noqa: PLC0415

    files = raise_files_limit()
    max_connections = settings.max_connections
    if files != resource.RLIM_INFINITY and files - RESERVED_FILES < max_connections:
        max_connections = max(2, files - RESERVED_FILES)
        print(
            f"warning: at most {max_connections} connections (the open-files limit is {files})",
            file=sys.stderr,
            flush=True,
        )
    http: type[asyncio.Protocol] | str
    if workers == 1:
        http = guarded_h11(
            header_timeout=settings.header_timeout_seconds, max_connections=max_connections
        )
    else:
        os.environ[HEADER_TIMEOUT_VARIABLE] = str(settings.header_timeout_seconds)
        os.environ[MAX_CONNECTIONS_VARIABLE] = str(max_connections)
        http = "sync.server.connections:WorkerGuardedH11"
    config = uvicorn.Config(
        app,
        factory=workers > 1,
        workers=workers,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        ssl_certfile=settings.ssl_certfile,
        ssl_keyfile=settings.ssl_keyfile,
        http=http,
        timeout_keep_alive=settings.keep_alive_seconds,
        h11_max_incomplete_event_size=HEADER_BYTES,
        backlog=BACKLOG,
        # X-Forwarded-* only from our own proxy; uvicorn would trust them from 127.0.0.1.
        proxy_headers=settings.behind_proxy,
    )
    quiet_floods()  # after uvicorn.Config, which sets up its loggers
    logging.getLogger("asyncio").setLevel(logging.WARNING)
    return config
