"""Rendering the store's HTML pages: one Jinja2 environment, autoescaped, with words.

Every page extends `base.html` (language switch, skip link, one stylesheet,
no inline script or style). A page module hands `render` its template and
values; the language comes from the `lang` cookie, Swedish when unset.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from sync.server.web.words import DEFAULT_LANGUAGE, LANGUAGES, Words

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
STATIC_PATH = "/static"
LANGUAGE_COOKIE = "lang"


@cache
def environment(extra_dirs: Sequence[Path] = ()) -> Environment:
    loaders = [FileSystemLoader(str(d)) for d in (*extra_dirs, WEB_DIR / "templates")]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static"] = lambda name: f"{STATIC_PATH}/{name}"
    return env


def page_language(request: Request) -> str:
    language = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def render(
    request: Request,
    template: str,
    *,
    extra_dirs: Sequence[Path] = (),
    status_code: int = 200,
    **values: object,
) -> HTMLResponse:
    words = Words(page_language(request))
    other = "en" if words.language == "sv" else "sv"
    html = (
        environment(tuple(extra_dirs))
        .get_template(template)
        .render(request=request, _=words, words=words, other_language=other, **values)
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
