"""`/language/{code}`: the "English / Svenska" link of every page; remembers the choice
in a cookie and returns to the page it came from (only a path on this site)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from starlette.responses import RedirectResponse

from sync.server.web.pages import LANGUAGE_COOKIE
from sync.server.web.words import LANGUAGES

router = APIRouter(include_in_schema=False)


def safe_next(path: str) -> str:
    """A local path to go back to; anything else (another site) becomes the console."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/console/"
    return path


@router.get("/language/{code}")
def choose_language(code: str, next: str = "/console/") -> RedirectResponse:
    if code not in LANGUAGES:
        raise HTTPException(404, "no such language")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True
    )
    return response
