"""Rendering the store's HTML pages: one Jinja2 environment, autoescaped, with words.

Every page, the console's and the public ones, extends `base.html` (language
switch, one stylesheet, no inline script or style) from `web/templates`; a
page family adds its own folder (`console/templates`, `public/templates`)
in front. A page module hands `render` its template and values; the
language is the page's (`language.page_language`) unless the caller names it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from sync.server.web.language import Words, other_language, page_language

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
STATIC_PATH = "/static"


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


def url(path: str, **query: str) -> str:
    """`path` with the non-empty `query` values (for links that keep a page's state)."""
    present = {key: value for key, value in query.items() if value}
    return f"{path}?{urlencode(present)}" if present else path


def switch_url(request: Request, lang: str) -> str:
    """The language link: sets the cookie, then back to this page (without its `lang`)."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    here = request.url.path + (f"?{urlencode(query)}" if query else "")
    return url(f"/language/{other_language(lang)}", next=here)


def render_text(
    template: str,
    *,
    lang: str,
    extra_dirs: Sequence[Path] = (),
    **values: object,
) -> str:
    """A page as text (the public counter renders once per cache period, not per request)."""
    words = Words(lang)
    values.setdefault("language_url", None)
    return (
        environment(tuple(extra_dirs))
        .get_template(template)
        .render(_=words, words=words, other_language=other_language(words.language), **values)
    )


def render(
    request: Request,
    template: str,
    *,
    extra_dirs: Sequence[Path] = (),
    lang: str | None = None,
    status_code: int = 200,
    **values: object,
) -> HTMLResponse:
    lang = lang or page_language(request)
    values.setdefault("language_url", switch_url(request, lang))
    html = render_text(template, lang=lang, extra_dirs=extra_dirs, request=request, **values)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
