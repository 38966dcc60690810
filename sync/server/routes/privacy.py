"""What kiosks must forget (withdrawals) and may recognise (repeat signers)."""

from fastapi import APIRouter

from sync.protocol import API_PREFIX, PrivacyUpdate
from sync.server import repository
from sync.server.dependencies import AUTH_ERRORS, DeviceDep, SessionDep

router = APIRouter(prefix=API_PREFIX, responses=AUTH_ERRORS)


@router.get("/privacy", response_model=PrivacyUpdate)
def privacy(session: SessionDep, _device: DeviceDep) -> PrivacyUpdate:
    """Erased record UUIDs (kiosks delete their copies) and the known email HMACs."""
    return repository.privacy_update(session)
