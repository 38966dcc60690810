"""The campaign's public key, handed to a kiosk when it enrols."""

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse

from sync.protocol import API_PREFIX, ErrorBody
from sync.server.dependencies import AUTH_ERRORS, DeviceDep, SettingsDep

router = APIRouter(prefix=API_PREFIX, responses=AUTH_ERRORS)


@router.get("/campaign-key", responses={404: {"model": ErrorBody, "description": "no key set"}})
def campaign_key(_device: DeviceDep, settings: SettingsDep) -> JSONResponse:
    """The campaign's public key and email HMAC key (never a private key)."""
    if settings.campaign_keys is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this store has no campaign key set")
    return JSONResponse(settings.campaign_keys.to_json())
