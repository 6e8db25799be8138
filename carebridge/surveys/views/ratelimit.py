"""Rate limits of the public answering pages and endpoints, counted in the Django cache.

A fixed one-minute window per client address and per token, counted in the ``shared`` cache so every
worker process sees the same counts: Redis in production, a database table in the embedded mode (a
per-process memory cache let four workers admit four times the limit). On Redis the counts of one request
are one round trip (``INCR`` and ``EXPIRE … NX`` per key in a pipeline, on a client kept per cache): a
crowd of submissions pays the limiter once each, not two to four cache calls that each built a client.
The limits come from ``settings.CAREBRIDGE["SURVEY_RATE_LIMITS"]`` when present, else :data:`DEFAULTS`.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from carebridge.core.http import client_ip

WINDOW_SECONDS = 60
DEFAULTS: dict[str, int] = {
    "post_per_ip": 30,  # answers posted per minute from one address
    "post_per_token": 20,  # answers posted per minute to one token
    "get_per_ip": 120,  # pages read per minute from one address
}


def limits() -> dict[str, int]:
    configured = getattr(settings, "CAREBRIDGE", {}).get("SURVEY_RATE_LIMITS") or {}
    return {**DEFAULTS, **configured}


def _window(key: str) -> str:
    return f"survey-rate:{key}:{int(time.time() // WINDOW_SECONDS)}"


_redis_clients: dict[int, Any] = {}


def _redis_counts(cache: RedisCache, buckets: list[str]) -> list[int]:
    """Count one hit in each bucket in one round trip; the counts after it."""
    client = _redis_clients.get(id(cache))
    if client is None:
        # Django's RedisCache builds a client (and its ~200 response callbacks) on every call; a client
        # shares the cache's connection pool, so one per cache object (Django keeps one per thread) will do.
        client = _redis_clients[id(cache)] = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    pipe = client.pipeline(transaction=False)
    for bucket in buckets:
        key = cache.make_and_validate_key(bucket)
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS + 5, nx=True)
    return [int(count) for count in pipe.execute()[::2]]


def _hit(key: str, limit: int) -> bool:
    """Count one hit; True when the window's count is over ``limit`` (any cache backend)."""
    bucket = _window(key)
    cache = caches["shared"]
    if cache.add(bucket, 1, timeout=WINDOW_SECONDS + 5):
        return limit < 1
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    return count > limit


def _over(hits: list[tuple[str, int]]) -> bool:
    """Count a hit against every (key, limit); True when any is over its limit."""
    cache = caches["shared"]
    if isinstance(cache, RedisCache):
        counts = _redis_counts(cache, [_window(key) for key, _limit in hits])
        return any(count > limit for count, (_key, limit) in zip(counts, hits, strict=True))
    results = [_hit(key, limit) for key, limit in hits]
    return any(results)


def over_limit(request: HttpRequest, token: str) -> bool:
    """Count this request against the address and the token; True when either is over its limit."""
    config = limits()
    address = client_ip(request) or "unknown"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return _over([(f"get-ip:{address}", config["get_per_ip"])])
    by_address = (f"post-ip:{address}", config["post_per_ip"])
    return _over([by_address, (f"post-token:{token[:43]}", config["post_per_token"])])


def retry_after() -> int:
    """Seconds until the current window ends."""
    return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
