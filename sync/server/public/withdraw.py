"""The withdrawal page at /aterkalla: the signer takes back their signature themselves.

Three steps, all plain forms that work without JavaScript: the code (filled in
from the QR code's `?kod=`, checked by its check character when typed), one
question ("remove it?"), and the answer. Erasure happens at once through the
store's tombstones (kiosks delete their copies at their next sync), and the
code's hash is kept so a record still on its way is never stored. A code that
matched nothing gets the same answer as one that did: the page tells a stranger
nothing about who signed.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from sync.privacy.withdrawal import display_code, normalise_code
from sync.server.public.state import TEMPLATES, PublicState, client_address, get_public
from sync.server.ratelimit import Limit
from sync.server.web.csrf import FIELD, set_nonce_cookie
from sync.server.web.language import Words, language, other_language, page_language
from sync.server.web.pages import render, url

MAX_FORM_BYTES = 2048
MAX_TYPED = 40  # longer than any code with dashes and spaces; anything more is not a code
FIELDS = {"kod", "lang", FIELD, "step"}

router = APIRouter(include_in_schema=True, tags=["public"])
PublicDep = Annotated[PublicState, Depends(get_public)]


@dataclass(frozen=True)
class WithdrawalLimits:
    """How often the page may be used: per address, and by everyone together."""

    page_per_address: Limit = Limit("withdraw-page-address", 60, 60)
    post_per_address: Limit = Limit("withdraw-post-address", 12, 600)
    post_overall: Limit = Limit("withdraw-post-all", 600, 600)


def get_withdrawal_limits() -> WithdrawalLimits:
    """A dependency, so a test can set small limits (app.dependency_overrides)."""
    return WithdrawalLimits()


LimitsDep = Annotated[WithdrawalLimits, Depends(get_withdrawal_limits)]


def _code(text: str) -> str | None:
    if len(text) > MAX_TYPED or any(unicodedata.category(c).startswith("C") for c in text):
        return None
    return normalise_code(text)


def _echo(text: str) -> str:
    """What the signer typed, shown back in the field only when it is short and printable."""
    if len(text) > 20 or any(unicodedata.category(c).startswith("C") for c in text):
        return ""
    return text


def _page(
    request: Request, public: PublicState, lang: str, *, status: int = 200, **context: object
) -> HTMLResponse:
    nonce, new = public.tokens.browser_nonce(request)
    code = str(context.get("code", "") or context.get("typed", ""))
    response = render(
        request,
        "withdraw.html",
        extra_dirs=(TEMPLATES,),
        lang=lang,
        status_code=status,
        token=public.tokens.token_for(nonce),
        # The code stays in the address, never in a cookie or a referrer.
        language_url=url("/aterkalla", lang=other_language(lang), kod=code),
        keep_url=url("/aterkalla", lang=lang),
        back_url=url("/aterkalla", lang=lang),
        **{"state": "form", "typed": "", "error": "", "code": "", "message": "", **context},
    )
    if new:
        set_nonce_cookie(response, request, nonce)
    return response


def _message(
    request: Request, public: PublicState, lang: str, status: int, key: str, **values: object
) -> HTMLResponse:
    return _page(
        request, public, lang, status=status, state="message", message=Words(lang)(key, **values)
    )


async def _limited(
    request: Request, public: PublicState, lang: str, *limits: tuple[Limit, str]
) -> HTMLResponse | None:
    for limit, who in limits:
        wait = await run_in_threadpool(public.limiter.hit, limit, who)
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            response = _message(
                request, public, lang, 429, "public.error.too_many", seconds=seconds
            )
            response.headers["Retry-After"] = str(seconds)
            return response
    return None


@router.get(
    "/aterkalla",
    response_class=HTMLResponse,
    responses={
        400: {"description": "the code in the address is not a valid code"},
        429: {"description": "too many tries; Retry-After says when to try again"},
    },
)
async def withdrawal_page(
    request: Request,
    public: PublicDep,
    limits: LimitsDep,
    kod: Annotated[str, Query(max_length=200)] = "",
    lang: Annotated[str, Query(max_length=10)] = "sv",
) -> HTMLResponse:
    """The withdrawal form, with the code from the QR code filled in."""
    lang = page_language(request)  # ?lang= first, as `lang` says
    refused = await _limited(
        request, public, lang, (limits.page_per_address, client_address(request))
    )
    if refused is not None:
        return refused
    if not kod:
        return _page(request, public, lang)
    code = _code(kod)
    if code is None:
        return _page(
            request,
            public,
            lang,
            status=400,
            typed=_echo(kod),
            error=Words(lang)("public.withdraw.check_code"),
        )
    return _page(request, public, lang, typed=display_code(code))


FORM_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "kod": {"type": "string", "maxLength": MAX_TYPED},
                        "lang": {"type": "string", "enum": ["sv", "en"]},
                        FIELD: {"type": "string", "maxLength": 64},
                        "step": {"type": "string", "enum": ["check", "confirm"]},
                    },
                    "required": ["kod", FIELD, "step"],
                }
            }
        },
    },
    "responses": {
        "400": {"description": "not a valid code (the check character) or not our form"},
        "403": {"description": "a cross-site post, or no valid form token: nothing changed"},
        "413": {"description": "the form is too large"},
        "429": {"description": "too many tries; Retry-After says when to try again"},
    },
}


@router.post("/aterkalla", response_class=HTMLResponse, openapi_extra=FORM_SCHEMA)
async def withdrawal_post(request: Request, public: PublicDep, limits: LimitsDep) -> HTMLResponse:
    """Check the code and ask once (step=check), then erase at once (step=confirm)."""
    lang = language(request.query_params.get("lang"))
    # A cross-site post never gets here: sync.server.web.csrf.CrossOriginGuard refuses it.
    address = client_address(request)
    refused = await _limited(
        request, public, lang, (limits.post_per_address, address), (limits.post_overall, "*")
    )
    if refused is not None:
        return refused
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _message(request, public, lang, 413, "public.error.too_large")
    form = _parse_form(request, body)
    if form is None:
        return _message(request, public, lang, 400, "public.error.forged")
    lang = language(form.get("lang"))
    if not public.tokens.browser_matches(request, form.get(FIELD)):
        return _message(request, public, lang, 403, "public.error.forged")
    typed = form.get("kod", "")
    code = _code(typed)
    if code is None:
        return _page(
            request,
            public,
            lang,
            status=400,
            typed=_echo(typed),
            error=Words(lang)("public.withdraw.check_code"),
        )
    step = form.get("step")
    if step == "check":
        return _page(request, public, lang, state="confirm", code=display_code(code))
    if step != "confirm":
        return _message(request, public, lang, 400, "public.error.forged")
    await run_in_threadpool(public.withdraw, code)
    return _page(request, public, lang, state="done", code=display_code(code))


def _parse_form(request: Request, body: bytes) -> dict[str, str] | None:
    """The posted form's fields, or None when it is not one of our forms."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return None
    try:
        fields = parse_qs(
            body.decode("ascii"),
            keep_blank_values=True,
            strict_parsing=bool(body),
            max_num_fields=8,
        )
    except ValueError:  # not ASCII, malformed, too many fields
        return None
    if not set(fields) <= FIELDS or any(len(values) != 1 for values in fields.values()):
        return None
    return {key: values[0] for key, values in fields.items()}
