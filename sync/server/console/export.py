"""Export: a CSV without personal data made here, and the sealed rows for the browser.

The personal export is made in the organiser's browser: the page reads
`campaign.private.json` and the passphrase, libsodium (WebAssembly) opens
the sealed boxes there and the browser saves the CSV. This module only
hands over what the store holds anyway (sealed boxes it cannot open) and
writes the audit line with the number of rows the page says it opened.
"""

from __future__ import annotations

import base64
import json
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import JSONResponse, Response

from sync.server.console.deps import ConfigDep, DbDep, FormDep, Organiser, audit_action
from sync.server.console.render import page
from sync.server.export import COLUMNS, PERSONAL, export_csv, safe_cell
from sync.server.models import Device, StoredSignature, StoreEvent

router = APIRouter(prefix="/console/export")


@router.get("")
def export_page(request: Request, login: Organiser) -> Response:
    return page(request, "export.html", login=login)


@router.get("/signatures.csv")
def plain_csv(request: Request, db: DbDep, config: ConfigDep, login: Organiser) -> Response:
    """The same file as `export` without --private-key: no names, emails or postcodes."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "signatures.csv"
        count = export_csv(db, out=out)
        body = out.read_bytes()
    audit_action(request, config, db, login, action="export.plain", detail=f"{count} rows")
    db.commit()
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="signatures.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/sealed.json")
def sealed_rows(request: Request, db: DbDep, config: ConfigDep, login: Organiser) -> Response:
    """Every row as `export --private-key` writes it, the personal cells left empty and the
    sealed box beside them; the browser fills them in. Same order as the command line."""
    query = (
        select(StoredSignature, StoreEvent, Device.name)
        .join(StoreEvent, StoreEvent.id == StoredSignature.event_id)
        .join(Device, Device.id == StoredSignature.device_id)
        .order_by(StoreEvent.date, StoredSignature.created_at_utc, StoredSignature.id)
    )
    rows = []
    for signature, event, device_name in db.execute(query).yield_per(1000):
        values = {
            "id": signature.id,
            "event": event.name,
            "place": event.place,
            "event_date": event.date.isoformat(),
            "created_at_utc": signature.created_at_utc.isoformat(timespec="seconds"),
            "local_date": signature.local_date.isoformat(),
            "language": signature.language,
            "postcode_area": signature.postcode_area,
            "duplicate_of": signature.duplicate_of,
            "withdrawal_code": signature.withdrawal_code,
            "lives_or_works_in_helsingborg": signature.lives_or_works_in_helsingborg,
            "community_opt_in": signature.community_opt_in,
            "helper_opt_in": signature.helper_opt_in,
            "commitments": "; ".join(json.loads(signature.commitments)),
            "consent_version": signature.consent_version,
            "device": device_name,
            "received_at_utc": signature.received_at_utc.isoformat(timespec="seconds"),
        }
        rows.append(
            {
                "cells": [None if c in PERSONAL else safe_cell(values[c]) for c in COLUMNS],
                "sealed": (
                    base64.b64encode(signature.sealed).decode("ascii")
                    if signature.sealed is not None
                    else None
                ),
                "community_opt_in": signature.community_opt_in,
                "repeat": signature.duplicate_of is not None,
                "consent_version": signature.consent_version,
                "consent_given_at_utc": signature.consent_given_at_utc.isoformat(timespec="seconds")
                + "Z",
            }
        )
    audit_action(
        request,
        config,
        db,
        login,
        action="export.sealed_fetched",
        detail=f"{len(rows)} sealed rows",
    )
    db.commit()
    return JSONResponse(
        {"columns": list(COLUMNS), "personal": list(PERSONAL), "rows": rows},
        headers={"Cache-Control": "no-store"},
    )


@router.post("/opened")
def opened(
    request: Request, db: DbDep, config: ConfigDep, login: Organiser, form: FormDep
) -> Response:
    """The page reports how many rows it opened and which file it made (never their content)."""
    count = form.get("rows", "")
    kind = form.get("kind", "")
    if not count.isdigit() or kind not in ("signatures", "listmonk", "mailchimp"):
        return JSONResponse({"detail": "rows and kind are needed"}, status_code=400)
    audit_action(
        request,
        config,
        db,
        login,
        action="export.personal",
        detail=f"{kind}: {int(count)} rows opened in the browser",
    )
    db.commit()
    return JSONResponse({"recorded": True})
