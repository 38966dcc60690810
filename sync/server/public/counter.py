"""The live counter for the campaign's website, and the cached `/api/v1/stats`.

A traffic spike from the website must never reach the database: every answer
comes from one snapshot of the figures, refreshed at most once per
`CACHE_SECONDS` however many requests arrive at once (the request that finds
the figures stale refreshes them under a lock; the others meanwhile get the
last figures, or wait when there are none yet), rendered once per language, and sent
with an ETag so a browser that has it gets a 304. When a refresh fails the
last snapshot keeps being served.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from starlette.concurrency import run_in_threadpool

from sync.protocol import Stats
from sync.server.web.language import Words

CACHE_SECONDS = 30
CACHE_CONTROL = f"public, max-age={CACHE_SECONDS}"


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str


class StatsCache:
    def __init__(
        self,
        load: Callable[[], Stats],
        *,
        seconds: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._load = load
        self.seconds = seconds
        self.clock = clock
        self._stats: Stats | None = None
        self._expires = -math.inf
        self._rendered: dict[tuple[str, str], Rendered] = {}
        self._lock = asyncio.Lock()

    def _fresh(self) -> bool:
        return self._stats is not None and self.clock() < self._expires

    async def stats(self) -> Stats:
        if self._stats is not None and self._lock.locked():
            return self._stats  # one request is refreshing; the others need not wait
        if not self._fresh():
            async with self._lock:
                if not self._fresh():
                    try:
                        stats = await run_in_threadpool(self._load)
                    except Exception:
                        if self._stats is None:
                            raise
                        stats = self._stats  # the database is busy: last figures still true
                    self._stats = stats
                    self._expires = self.clock() + self.seconds
                    self._rendered = {}
        assert self._stats is not None
        return self._stats

    def invalidate(self) -> None:
        """The figures changed on purpose (a new goal): the next request reloads them.

        Only this process's cache; other workers follow within CACHE_SECONDS.
        """
        self._expires = -math.inf

    async def rendered(self, kind: str, lang: str, make: Callable[[Stats], bytes]) -> Rendered:
        stats = await self.stats()
        key = (kind, lang)
        if key not in self._rendered:
            body = make(stats)
            self._rendered[key] = Rendered(body, f'"{hashlib.sha256(body).hexdigest()[:20]}"')
        return self._rendered[key]


@dataclass(frozen=True)
class Figures:
    """The counter's words for one language."""

    count: str
    before: str
    after: str
    text: str
    progress: str | None
    value: int
    goal: int | None


def figures(stats: Stats, lang: str) -> Figures:
    words = Words(lang)
    count = words.number(stats.counter)
    before, _, after = words.raw("public.counter.text").partition("{count}")
    progress = None
    if stats.goal:
        progress = words(
            "public.counter.goal",
            percent=words.percent(stats.counter / stats.goal),
            goal=words.number(stats.goal),
        )
    return Figures(
        count=count,
        before=before,
        after=after,
        text=f"{before}{count}{after}",
        progress=progress,
        value=min(stats.counter, stats.goal or 0),
        goal=stats.goal,
    )


def counter_svg(stats: Stats, lang: str) -> bytes:
    """The counter as an image: works where no script may run (e-mail, wikis, forums)."""
    f = figures(stats, lang)
    font = 'font-family="Noto Sans, DejaVu Sans, Arial, sans-serif"'
    height = 72 if f.progress else 40
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" '
        f'height="{height}" viewBox="0 0 640 {height}" role="img" aria-label={quoteattr(f.text)}>',
        f"<title>{escape(f.text)}</title>",
        f'<text x="4" y="30" {font} font-size="20" fill="#1a1a1a">{escape(f.before)}'
        f'<tspan font-weight="700" font-size="26" fill="#1b5e20">{escape(f.count)}</tspan>'
        f"{escape(f.after)}</text>",
    ]
    if f.progress and f.goal:
        done = round(240 * min(f.value / f.goal, 1))
        parts += [
            '<rect x="4" y="46" width="240" height="12" rx="6" fill="#d7e6d7"/>',
            f'<rect x="4" y="46" width="{done}" height="12" rx="6" fill="#1b5e20"/>',
            f'<text x="256" y="57" {font} font-size="15" fill="#4a4a4a">'
            f"{escape(f.progress)}</text>",
        ]
    parts.append("</svg>")
    return "".join(parts).encode()
