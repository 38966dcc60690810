"""Tallies: signatures gathered elsewhere (paper sheets, the web form), per source.

A correction is a negative count with a note; no source goes below zero.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from sync.server import repository
from sync.server.console.deps import ConfigDep, DbDep, FormDep, Organiser, audit_action
from sync.server.console.render import page
from sync.server.models import Tally

router = APIRouter(prefix="/console/tallies")


def _page(request: Request, db: DbDep, login: Organiser, **values: Any) -> Response:
    history = list(db.scalars(select(Tally).order_by(Tally.id.desc()).limit(200)))
    values.setdefault("error", False)
    return page(
        request,
        "tallies.html",
        login=login,
        sources=repository.tallies_per_source(db),
        history=history,
        **values,
    )


@router.get("")
def tallies(request: Request, db: DbDep, login: Organiser) -> Response:
    return _page(request, db, login)


@router.post("")
def add(
    request: Request, db: DbDep, config: ConfigDep, login: Organiser, form: FormDep
) -> Response:
    text = form.get("count", "").strip().replace("\u2212", "-")
    try:
        count = int(text)
        if count == 0 or abs(count) > 1_000_000:
            raise ValueError("out of range")
        tally = repository.add_tally(
            db, source=form.get("source", ""), count=count, note=form.get("note", "").strip()
        )
    except ValueError:
        db.rollback()
        return _page(request, db, login, error=True, status_code=400)
    audit_action(
        request, config, db, login, action="tally", detail=f"{tally.source} {tally.count:+d}"
    )
    db.commit()
    return RedirectResponse("/console/tallies", status_code=303)
