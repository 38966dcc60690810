"""The overview: the campaign's figures at a glance, refreshed while it is open."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from sync.server.console import queries
from sync.server.console.chart import per_day_svg
from sync.server.console.config import ConsoleConfig
from sync.server.console.deps import ConfigDep, DbDep, FormDep, Organiser, Viewer, audit_action
from sync.server.console.render import page
from sync.server.web.language import Words, page_language

router = APIRouter(prefix="/console")
CAMPAIGN_ZONE = ZoneInfo("Europe/Stockholm")
MAX_GOAL = 10_000_000


def campaign_today(config: ConsoleConfig) -> date:
    """Today in Helsingborg (kiosks count `local_date` in their own time zone)."""
    now = config.clock()
    offset = CAMPAIGN_ZONE.utcoffset(now) or timedelta(0)
    return (now + offset).date()


@router.get("/")
def overview(request: Request, db: DbDep, config: ConfigDep, login: Viewer) -> Response:
    figures = queries.overview(
        db, today=campaign_today(config), default_goal=request.app.state.settings.goal
    )
    words = Words(page_language(request))
    return page(
        request,
        "overview.html",
        login=login,
        figures=figures,
        chart=per_day_svg(figures.per_day, words),
        refresh_seconds=config.refresh_seconds,
        goal_error=request.query_params.get("goal_error") is not None,
    )


@router.post("/goal")
def set_goal(
    request: Request, db: DbDep, config: ConfigDep, login: Organiser, form: FormDep
) -> Response:
    text = form.get("goal", "").strip().replace(" ", "").replace("\u00a0", "")
    if text and (not text.isdigit() or not 0 < int(text) <= MAX_GOAL):
        return RedirectResponse("/console/?goal_error=1#goal", status_code=303)
    value = int(text) if text else None
    queries.set_goal(db, value=value)
    audit_action(request, config, db, login, action="goal.set", detail=str(value or "none"))
    db.commit()
    request.app.state.public.cache.invalidate()  # the public counter shows it at once
    return RedirectResponse("/console/", status_code=303)
