"""What the routes need, as `Annotated[..., Depends(...)]` aliases.

Everything comes from the app the request reached (`request.app.state`),
never from a module global, so a test builds its own app and can replace
any of these with `app.dependency_overrides[get_session] = ...`.
"""

from collections.abc import AsyncIterator
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from sync.protocol import ErrorBody
from sync.server.db import CentralStore
from sync.server.devices import device_for_token
from sync.server.middleware import CHECKED_DEVICE
from sync.server.models import Device
from sync.server.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="the device token `devices add` printed")

AUTH_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "missing, wrong or revoked device token"},
    413: {"model": ErrorBody, "description": "request body too large"},
    422: {"description": "the body does not follow the protocol; nothing was stored"},
}


# The dependencies that only read app.state, or build an object, are `async def`:
# FastAPI runs a plain `def` dependency in the thread pool, and each trip there and
# back is a hand-off plus a wake-up of the event loop (with the route's own, ~a
# tenth of a worker's busy samples in bench_sync_scaleout's py-spy profile). An
# upload made six; now three (the device, the route, closing the session).


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> CentralStore:
    store: CentralStore = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[CentralStore, Depends(get_store)]


async def get_session(store: StoreDep) -> AsyncIterator[Session]:
    """A new session (no connection until first used: no I/O here); closed in the
    thread pool, since closing may roll back on the database, and shielded, so a
    client that goes away does not leave a connection checked out."""
    session = store.session()
    try:
        yield session
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(session.close)


SessionDep = Annotated[Session, Depends(get_session)]
CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_device(request: Request, session: SessionDep, credentials: CredentialsDep) -> Device:
    """The device whose token came with the request; 401 in plain words otherwise.

    When DeviceGate asked the database for this very request (its cache had no
    answer), the device it found is taken into this session as it was loaded
    (`merge(load=False)`: no second SELECT); otherwise it is looked up here, so a
    token revoked since the gate's cached answer is refused."""
    checked = request.scope.get(CHECKED_DEVICE)
    if isinstance(checked, Device):
        return session.merge(checked, load=False)
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
