"""The central store's HTTP API, built by `create_app(settings)`.

Nothing is opened at import time; tests and `serve` each build their own
app on their own database. The routes live in `sync.server.routes` (one
router per area) and take what they need through `sync.server.dependencies`,
so a test can override any of it. Every answer to bad input is a 4xx with a
`detail` that says what is wrong; validation errors never echo the
submitted values back (they may hold personal data).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from sync.protocol import API_PREFIX, UploadBatch
from sync.server.console import mount_console
from sync.server.db import CentralStore, open_central_store
from sync.server.devices import device_for_token
from sync.server.middleware import BodySizeLimit, DeviceGate, ProtocolVersion
from sync.server.models import Device
from sync.server.public import mount as mount_public
from sync.server.routes import campaign_key, devices, privacy, signatures
from sync.server.settings import Settings
from sync.server.web import mount_web

# /api/v1/stats is served by sync.server.public, from the counter's cached snapshot.
ROUTERS = (signatures.router, devices.router, privacy.router, campaign_key.router)
# API paths anyone may call; every other one under API_PREFIX needs a device token,
# checked before the request's body is read.
PUBLIC_API_PATHS = frozenset({f"{API_PREFIX}/stats"})


def _device_finder(store: CentralStore) -> Callable[[str], Device | None]:
    """The gate's lookup: the device, loaded and detached, for the route to adopt."""

    def find(token: str) -> Device | None:
        with store.session() as session:
            return device_for_token(session, token)

    return find


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error["type"]}
        for error in exc.errors()
    ]
    return JSONResponse(
        {
            "detail": "the request does not follow the protocol; nothing was stored",
            "errors": errors[:50],
        },
        status_code=422,
    )


async def _busy(_request: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": "the store's database is busy or unreachable; try again shortly"},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def _document_upload_body(app: FastAPI) -> None:
    """Put UploadBatch and the models it holds into the schema's components, as they
    were when the upload route declared its body: the route reads the bytes itself
    (`routes.signatures.upload_batch`), and the schemathesis tests fuzz from this."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            upload = UploadBatch.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(upload.pop("$defs", {}))
            components["UploadBatch"] = upload  # in place: generate() keeps it for next time
            return schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings) -> FastAPI:
    """A new app on `settings.database_url` (opened and migrated now, closed at shutdown)."""
    store = open_central_store(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="Klimatavtalet central store",
        version="1",
        description="Exactly-once upload of kiosk signatures, and the campaign's public counts.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    mount_web(app, store)  # what every HTML page shares: /static, headers, CSRF
    mount_console(app)  # the organiser console at /console/ (sync/server/console)
    # Added innermost first: the body's limits, the token gate, the version check.
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        anonymous_max_bytes=settings.anonymous_max_body_bytes,
        timeout_seconds=settings.body_timeout_seconds,
        min_bytes_per_second=settings.body_min_bytes_per_second,
    )
    app.add_middleware(
        DeviceGate,
        find=_device_finder(store),
        prefix=API_PREFIX,
        public_paths=PUBLIC_API_PATHS,
    )
    app.add_middleware(ProtocolVersion)  # outermost: even a 401 or 413 names the version
    # The campaign website reads /stats from visitors' browsers; only GET is shared.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(OperationalError, _busy)
    for router in ROUTERS:
        app.include_router(router)
    _document_upload_body(app)
    mount_public(app, settings, store)  # /aterkalla, /widget/*, /api/v1/stats (cached)
    return app
