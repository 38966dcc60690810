"""Who is asking, and over what: the client's address and scheme as the pages see them.

Only behind a reverse proxy (`Settings.behind_proxy`, `serve --behind-proxy`)
are X-Forwarded-For / X-Forwarded-Proto believed; a client talking to the
store directly could otherwise claim any address (and dodge a lockout or a
rate limit) or claim https. `serve` runs uvicorn with `proxy_headers` set
the same way, so uvicorn never believes them on its own.
"""

from __future__ import annotations

from starlette.requests import Request


def behind_proxy(request: Request) -> bool:
    return bool(request.app.state.settings.behind_proxy)


def client_address(request: Request) -> str:
    if behind_proxy(request):
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()  # the address our own proxy saw
    return request.client.host if request.client else "unknown"


def is_https(request: Request) -> bool:
    if behind_proxy(request) and "x-forwarded-proto" in request.headers:
        return request.headers["x-forwarded-proto"].split(",")[0].strip() == "https"
    return request.url.scheme == "https"


def public_base_url(request: Request) -> str:
    """The store's address as a kiosk or a signer's phone would use it."""
    scheme = "https" if is_https(request) else "http"
    host = request.headers.get("host", request.url.netloc)
    return f"{scheme}://{host}"
