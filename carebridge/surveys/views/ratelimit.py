"""Rate limits of the public answering pages and endpoints, counted in the Django cache.

A fixed one-minute window per client address and per token, counted in the ``shared`` cache so every
worker process sees the same counts: Redis in production, a database table in the embedded mode (a
per-process memory cache let four workers admit four times the limit). The limits come from
``settings.CAREBRIDGE["SURVEY_RATE_LIMITS"]`` when present, else :data:`DEFAULTS`.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
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


def _hit(key: str, limit: int) -> bool:
    """Count one hit; True when the window's count is over ``limit``."""
    bucket = f"survey-rate:{key}:{int(time.time() // WINDOW_SECONDS)}"
    cache = caches["shared"]
    if cache.add(bucket, 1, timeout=WINDOW_SECONDS + 5):
        return limit < 1
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    return count > limit


def over_limit(request: HttpRequest, token: str) -> bool:
    """Count this request against the address and the token; True when either is over its limit."""
    config = limits()
    address = client_ip(request) or "unknown"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return _hit(f"get-ip:{address}", config["get_per_ip"])
    by_address = _hit(f"post-ip:{address}", config["post_per_ip"])
    by_token = _hit(f"post-token:{token[:43]}", config["post_per_token"])
    return by_address or by_token


def retry_after() -> int:
    """Seconds until the current window ends."""
    return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
