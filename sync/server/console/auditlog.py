"""The audit log for admins: read it on the page, or download it all as CSV."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Request
from starlette.responses import Response

from sync.server.console import audit
from sync.server.console.deps import Admin, DbDep
from sync.server.console.render import page
from sync.server.export import safe_cell

router = APIRouter(prefix="/console/audit")
SHOWN = 500


@router.get("")
def audit_page(request: Request, db: DbDep, login: Admin) -> Response:
    return page(request, "audit.html", login=login, entries=audit.entries(db, limit=SHOWN))


@router.get(".csv")
def audit_csv(db: DbDep, _login: Admin) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(audit.COLUMNS)
    for entry in reversed(audit.entries(db)):
        writer.writerow(
            [
                entry.at_utc.isoformat(timespec="seconds"),
                safe_cell(entry.actor),
                entry.action,
                safe_cell(entry.detail),
                entry.address,
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
