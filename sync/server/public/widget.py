"""The counter's routes: an iframe page, an SVG image, a script embed and the stats.

Every answer comes from the cache (counter.StatsCache) with an ETag and
`Cache-Control: public, max-age=30`; If-None-Match gets a 304 and no body.
Only /widget/counter (and its image) may be framed by other sites: the policy
per route is sync.server.web.security's.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from sync.protocol import API_PREFIX, Stats
from sync.server.public.counter import CACHE_CONTROL, figures
from sync.server.public.counter import counter_svg as make_svg
from sync.server.public.state import TEMPLATES, PublicState, get_public
from sync.server.web.language import language
from sync.server.web.pages import STATIC_DIR, render_text

router = APIRouter(tags=["public"])
PublicDep = Annotated[PublicState, Depends(get_public)]
LangQuery = Annotated[str, Query(max_length=10)]
_SCRIPT = (STATIC_DIR / "public" / "counter.js").read_bytes()


def _cached(request: Request, body: bytes, etag: str, media_type: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get(f"{API_PREFIX}/stats", response_model=Stats)
async def stats(request: Request, public: PublicDep) -> Response:
    """Public counts: the campaign total, per event, and the counter's figures
    (`unique_signers` counts a repeat signer once; `counter` = unique_signers + tallied).
    Cached for everyone; a kiosk with its device token gets the figures of this moment
    (it shows the store's total after each sync)."""
    authorization = request.headers.get("authorization", "")
    if authorization[:7].lower() == "bearer " and len(authorization) < 200:
        fresh = await run_in_threadpool(public.fresh_stats, authorization[7:].strip())
        if fresh is not None:
            return Response(fresh.model_dump_json(), media_type="application/json")
    rendered = await public.cache.rendered("stats", "", lambda s: s.model_dump_json().encode())
    return _cached(request, rendered.body, rendered.etag, "application/json")


@router.get("/widget/counter", response_class=HTMLResponse)
async def counter_page(request: Request, public: PublicDep, lang: LangQuery = "sv") -> Response:
    """The counter as a small page for an iframe on the campaign's website."""
    lang = language(lang)

    def make(stats: Stats) -> bytes:
        f = figures(stats, lang)
        return render_text(
            "counter.html",
            lang=lang,
            extra_dirs=(TEMPLATES,),
            count=f.count,
            rest=f.after.strip() if not f.before else f.text,
            progress=f.progress,
            value=f.value,
            goal=f.goal,
        ).encode()

    rendered = await public.cache.rendered("page", lang, make)
    return _cached(request, rendered.body, rendered.etag, "text/html; charset=utf-8")


@router.get("/widget/counter.svg", response_class=Response)
async def counter_svg(request: Request, public: PublicDep, lang: LangQuery = "sv") -> Response:
    """The counter as an SVG image: no script needed."""
    lang = language(lang)
    rendered = await public.cache.rendered("svg", lang, lambda s: make_svg(s, lang))
    return _cached(request, rendered.body, rendered.etag, "image/svg+xml")


@router.get("/widget/counter.json")
async def counter_json(request: Request, public: PublicDep, lang: LangQuery = "sv") -> Response:
    """The counter's words for the script embed."""
    lang = language(lang)

    def make(stats: Stats) -> bytes:
        f = figures(stats, lang)
        answer = {"count": stats.counter, "text": f.text, "progress": f.progress}
        return json.dumps(answer, ensure_ascii=False).encode()

    rendered = await public.cache.rendered("json", lang, make)
    return _cached(request, rendered.body, rendered.etag, "application/json")


@router.get("/widget/counter.js", response_class=Response)
async def counter_script(request: Request) -> Response:
    """The script embed: fills `<span data-klimatavtal-counter>` with the live count."""
    return _cached(request, _SCRIPT, '"counter-js-1"', "text/javascript")
