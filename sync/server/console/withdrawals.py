"""Withdrawals: erase a signature by its withdrawal code, or by email through its HMAC.

The email never reaches the server: the page computes its HMAC in the browser
(WebCrypto) with the HMAC key from campaign.kiosk.json, the same value the
kiosk stored. Listed erasures show codes and counts only, never names.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import func, select
from starlette.responses import Response

from sync.privacy.withdrawal import display_code, normalise_code
from sync.server import repository
from sync.server.console.deps import Admin, ConfigDep, DbDep, FormDep, audit_action
from sync.server.console.render import page
from sync.server.models import ConsoleAudit, Erasure

router = APIRouter(prefix="/console/withdrawals")
HMAC_PATTERN = re.compile(r"[0-9a-f]{64}")


def _page(request: Request, db: DbDep, login: Admin, **values: Any) -> Response:
    done = list(
        db.scalars(
            select(ConsoleAudit)
            .where(ConsoleAudit.action == "erasure")
            .order_by(ConsoleAudit.id.desc())
            .limit(500)
        )
    )
    values.setdefault("message", None)
    values.setdefault("error", None)
    return page(
        request,
        "withdrawals.html",
        login=login,
        done=done,
        tombstones=db.scalar(select(func.count()).select_from(Erasure)) or 0,
        **values,
    )


@router.get("")
def withdrawals(request: Request, db: DbDep, login: Admin) -> Response:
    return _page(request, db, login)


@router.post("")
def erase(request: Request, db: DbDep, config: ConfigDep, login: Admin, form: FormDep) -> Response:
    code = normalise_code(form["code"]) if form.get("code", "").strip() else None
    email_hmac = form.get("email_hmac", "").strip().lower()
    if code is None and not HMAC_PATTERN.fullmatch(email_hmac):
        key = "console.withdrawals.bad_code" if form.get("code") else "console.withdrawals.nothing"
        return _page(request, db, login, error=key, status_code=400)
    if code is not None:
        erased = repository.erase(db, withdrawal_code=code)
        what = f"code {display_code(code)}"
    else:
        erased = repository.erase(db, email_hmac=email_hmac)
        what = "by email"
    if not erased:
        db.rollback()
        return _page(request, db, login, error="console.withdrawals.no_match", status_code=404)
    audit_action(
        request, config, db, login, action="erasure", detail=f"{what}: {len(erased)} signature(s)"
    )
    db.commit()
    return _page(request, db, login, message=len(erased))
