"""What kiosks must forget (withdrawals) and may recognise (repeat signers)."""

from typing import Annotated

from fastapi import APIRouter, Query

from sync.protocol import API_PREFIX, PrivacyUpdate
from sync.server import repository
from sync.server.dependencies import AUTH_ERRORS, DeviceDep, SessionDep

router = APIRouter(prefix=API_PREFIX, responses=AUTH_ERRORS)


@router.get("/privacy", response_model=PrivacyUpdate)
def privacy(
    session: SessionDep,
    _device: DeviceDep,
    since: Annotated[int | None, Query(ge=0, description="the cursor of the last answer")] = None,
) -> PrivacyUpdate:
    """Erased record UUIDs (kiosks delete their copies) and the known email HMACs:
    all of them without `since`, else only the changes after that cursor."""
    return repository.privacy_update(session, since=since)
