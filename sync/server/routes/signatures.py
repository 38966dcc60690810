"""Upload and reconciliation: how signatures reach the store exactly once."""

from fastapi import APIRouter
from fastapi.responses import Response

from sync.protocol import (
    API_PREFIX,
    MissingRequest,
    MissingResult,
    ReconcileRequest,
    ReconcileResult,
    UploadBatch,
    UploadResult,
)
from sync.server import repository
from sync.server.dependencies import AUTH_ERRORS, DeviceDep, SessionDep, SettingsDep

router = APIRouter(prefix=API_PREFIX, responses=AUTH_ERRORS)


@router.post("/signatures", response_model=UploadResult)
def upload(
    batch: UploadBatch, session: SessionDep, device: DeviceDep, settings: SettingsDep
) -> Response:
    """Store a batch in one transaction; each record is accepted, acknowledged again
    (same UUID, same content) or refused (same UUID, other content: 409, kept aside)."""
    if settings.retention_days is not None:
        # First: store_batch ends holding the privacy sequence's lock until commit,
        # and retention has nothing to do with this batch (its records arrive now).
        repository.apply_retention(session, days=settings.retention_days)
    result = repository.store_batch(session, batch=batch, device=device)
    session.commit()
    # Serialised directly: the model was built here, validating it again costs time.
    return Response(result.model_dump_json(), media_type="application/json")


@router.post("/reconcile", response_model=ReconcileResult)
def reconcile(
    request: ReconcileRequest, session: SessionDep, _device: DeviceDep
) -> ReconcileResult:
    """Per event: does the store hold exactly the records the kiosk counted?"""
    return ReconcileResult(events=repository.reconcile(session, request=request))


@router.post("/signatures/missing", response_model=MissingResult)
def missing(request: MissingRequest, session: SessionDep, _device: DeviceDep) -> MissingResult:
    """Which of these record UUIDs the store does not hold."""
    ids = repository.missing_ids(session, ids=[str(value) for value in request.ids])
    return MissingResult.model_validate({"missing": ids})
