"""What a device may ask about itself (the kiosk checks its token when enrolling)."""

from fastapi import APIRouter

from sync.protocol import API_PREFIX, DeviceInfo
from sync.server.dependencies import AUTH_ERRORS, DeviceDep

router = APIRouter(prefix=API_PREFIX, responses=AUTH_ERRORS)


@router.get("/devices/me", response_model=DeviceInfo)
def whoami(device: DeviceDep) -> DeviceInfo:
    """Which device this token belongs to."""
    return DeviceInfo(name=device.name, created_at_utc=device.created_at_utc)
