"""Public counts, read by kiosks and by visitors' browsers on the campaign website."""

from fastapi import APIRouter

from sync.protocol import API_PREFIX, Stats
from sync.server import repository
from sync.server.dependencies import SessionDep

router = APIRouter(prefix=API_PREFIX)


@router.get("/stats", response_model=Stats)
def stats(session: SessionDep) -> Stats:
    """Public counts: the campaign total and signatures per event."""
    return repository.stats(session)
