"""The central store's HTTP API, built by `create_app(settings)`.

Nothing is opened at import time; tests and `serve` each build their own
app on their own database. Every answer to bad input is a 4xx with a
`detail` that says what is wrong; validation errors never echo the
submitted values back (they may hold personal data).
"""

# No `from __future__ import annotations`: FastAPI reads the dependency aliases
# defined inside create_app at runtime.
from collections.abc import Iterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from sync.protocol import (
    API_PREFIX,
    DeviceInfo,
    ErrorBody,
    MissingRequest,
    MissingResult,
    PrivacyUpdate,
    ReconcileRequest,
    ReconcileResult,
    UploadBatch,
    UploadResult,
)
from sync.server import repository
from sync.server.db import open_central_store
from sync.server.devices import device_for_token
from sync.server.models import Device
from sync.server.public import mount as mount_public
from sync.server.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="the device token `devices add` printed")
AUTH_ERRORS = {
    401: {"model": ErrorBody, "description": "missing, wrong or revoked device token"},
    413: {"model": ErrorBody, "description": "request body too large"},
    422: {"description": "the body does not follow the protocol; nothing was stored"},
}


class BodySizeLimit:
    """Answer 413 (JSON, like every other error) for a body larger than the protocol
    allows, whether its length is declared or only found out while reading."""

    def __init__(self, app, max_bytes: int):  # type: ignore[no-untyped-def]
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await self._too_large(scope, receive, send)
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await self._too_large(scope, receive, send)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        delivered = False

        async def replay():  # type: ignore[no-untyped-def]
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)

    async def _too_large(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        response = JSONResponse(
            {"detail": f"request body larger than {self.max_bytes} bytes; send smaller batches"},
            status_code=413,
        )
        await response(scope, receive, send)


def create_app(settings: Settings) -> FastAPI:
    store = open_central_store(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        yield
        store.close()

    app = FastAPI(
        title="Klimatavtalet central store",
        version="1",
        description="Exactly-once upload of kiosk signatures, and the campaign's public counts.",
        lifespan=lifespan,
    )
    app.state.store = store
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    # The campaign website reads /stats from visitors' browsers; only GET is shared.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
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

    @app.exception_handler(OperationalError)
    async def _busy(_request: Request, _exc: OperationalError) -> JSONResponse:
        return JSONResponse(
            {"detail": "the store's database is busy or unreachable; try again shortly"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    def get_session() -> Iterator[Session]:
        session = store.session()
        try:
            yield session
        finally:
            session.close()

    SessionDep = Annotated[Session, Depends(get_session)]

    def get_device(
        session: SessionDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Device:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "this needs a device token: Authorization: Bearer TOKEN",
                headers={"WWW-Authenticate": "Bearer"},
            )
        device = device_for_token(session, credentials.credentials)
        if device is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "the device token is wrong or has been revoked; ask an organiser for a new one",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return device

    DeviceDep = Annotated[Device, Depends(get_device)]

    @app.post(f"{API_PREFIX}/signatures", response_model=UploadResult, responses=AUTH_ERRORS)
    def upload(batch: UploadBatch, session: SessionDep, device: DeviceDep) -> Response:
        """Store a batch in one transaction; each record is accepted, acknowledged again
        (same UUID, same content) or refused (same UUID, other content: 409, kept aside)."""
        result = repository.store_batch(session, batch=batch, device=device)
        if settings.retention_days is not None:
            repository.apply_retention(session, days=settings.retention_days)
        session.commit()
        # Serialised directly: the model was built here, validating it again costs time.
        return Response(result.model_dump_json(), media_type="application/json")

    @app.get(f"{API_PREFIX}/devices/me", response_model=DeviceInfo, responses=AUTH_ERRORS)
    def whoami(device: DeviceDep) -> DeviceInfo:
        """Which device this token belongs to (the kiosk checks it when enrolling)."""
        return DeviceInfo(name=device.name, created_at_utc=device.created_at_utc)

    @app.post(f"{API_PREFIX}/reconcile", response_model=ReconcileResult, responses=AUTH_ERRORS)
    def reconcile(
        request: ReconcileRequest, session: SessionDep, _device: DeviceDep
    ) -> ReconcileResult:
        """Per event: does the store hold exactly the records the kiosk counted?"""
        return ReconcileResult(events=repository.reconcile(session, request=request))

    @app.post(
        f"{API_PREFIX}/signatures/missing", response_model=MissingResult, responses=AUTH_ERRORS
    )
    def missing(request: MissingRequest, session: SessionDep, _device: DeviceDep) -> MissingResult:
        """Which of these record UUIDs the store does not hold."""
        ids = repository.missing_ids(session, ids=[str(value) for value in request.ids])
        return MissingResult(missing=ids)  # type: ignore[arg-type]

    @app.get(f"{API_PREFIX}/privacy", response_model=PrivacyUpdate, responses=AUTH_ERRORS)
    def privacy(session: SessionDep, _device: DeviceDep) -> PrivacyUpdate:
        """Erased record UUIDs (kiosks delete their copies) and the known email HMACs."""
        return repository.privacy_update(session)

    @app.get(
        f"{API_PREFIX}/campaign-key",
        responses={**AUTH_ERRORS, 404: {"model": ErrorBody, "description": "no key set"}},
    )
    def campaign_key(_device: DeviceDep) -> JSONResponse:
        """The campaign's public key and email HMAC key, for a kiosk that enrols."""
        if settings.campaign_keys is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "this store has no campaign key set")
        return JSONResponse(settings.campaign_keys.to_json())

    mount_public(app, settings, store)  # /aterkalla, /widget/*, /api/v1/stats (cached)
    return app
