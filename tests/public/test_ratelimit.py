"""Rate limits counted in the store's database, on a fake clock."""

from __future__ import annotations

from sync.server.db import open_central_store
from sync.server.ratelimit import Limit, RateLimiter


class Clock:
    now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_limits_per_address_and_overall_reset_with_their_window(store_url):
    store = open_central_store(store_url)
    clock = Clock()
    limiter = RateLimiter(store, clock=clock)
    other = RateLimiter(store, clock=clock)  # another server process on the same database
    per_address = Limit("address", 2, 60)
    overall = Limit("all", 3, 60)
    try:
        assert limiter.hit(per_address, "192.0.2.1") is None
        assert other.hit(per_address, "192.0.2.1") is None
        wait = limiter.hit(per_address, "192.0.2.1")
        assert wait is not None and 0 < wait <= 60
        assert limiter.hit(per_address, "192.0.2.2") is None  # another address is not held up
        assert [other.hit(overall) for _ in range(4)][-1] is not None  # everyone together
        clock.now += 60
        assert limiter.hit(per_address, "192.0.2.1") is None  # a new window
        assert limiter.hit(overall) is None
    finally:
        store.close()
