"""Django's built-in Redis cache, made safe to lose: Redis is a cache, never a dependency.

Every cache call that fails (Redis stopped, unreachable, or hanging past the short socket
timeouts in settings) answers as a miss instead of raising, and opens a circuit breaker: for the
next few seconds no call goes to Redis at all, so a hanging Redis costs a request at most one
timeout, not one per cache call. After that pause one call tries again; when it succeeds, the
cache is back. `probe()` is /healthz's direct check, which also closes the breaker at once.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends import redis
from redis.exceptions import RedisError

logger = logging.getLogger("roadmap.cache")

# What a failed call answers, by method; `get` answers its own `default`.
MISS = {
    "add": False,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "set_many": [],
    "delete_many": None,
    "clear": None,
}
FAILURES = (RedisError, OSError)


class CircuitBreaker:
    """Open (calls skipped) for `pause` seconds after a failure; then one call tries again while
    the others keep skipping, so a still-hanging Redis costs one request one timeout."""

    def __init__(self, pause: float):
        self.pause = pause
        self.open_until = 0.0
        self.reason = ""  # why the last call failed; empty while Redis answers

    def allows_call(self) -> bool:
        now = time.monotonic()
        if now < self.open_until:
            return False
        if self.reason:  # the pause is over: this call is the trial, the others keep skipping
            self.open_until = now + self.pause
        return True

    def failed(self, exc: Exception) -> None:
        if not self.reason:  # log once per outage, not once per call
            logger.warning("cache unavailable, skipped for %ss at a time: %s", self.pause, exc)
        self.reason = _one_line(exc)
        self.open_until = time.monotonic() + self.pause

    def succeeded(self) -> None:
        if self.reason:
            logger.warning("cache available again")
        self.open_until, self.reason = 0.0, ""


def _guarded(method):
    name = method.__name__

    @wraps(method)
    def call(self, *args, **kwargs):
        miss = (
            (args[1] if len(args) > 1 else kwargs.get("default")) if name == "get" else MISS[name]
        )
        if not self.breaker.allows_call():
            return miss
        try:
            result = method(self, *args, **kwargs)
        except FAILURES as exc:
            self.breaker.failed(exc)
            return miss
        self.breaker.succeeded()
        return result

    return call


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        pause = options.pop("circuit_breaker_seconds", 5)
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = CircuitBreaker(pause)

    get = _guarded(redis.RedisCache.get)
    add = _guarded(redis.RedisCache.add)
    set = _guarded(redis.RedisCache.set)
    touch = _guarded(redis.RedisCache.touch)
    delete = _guarded(redis.RedisCache.delete)
    get_many = _guarded(redis.RedisCache.get_many)
    has_key = _guarded(redis.RedisCache.has_key)
    set_many = _guarded(redis.RedisCache.set_many)
    delete_many = _guarded(redis.RedisCache.delete_many)
    clear = _guarded(redis.RedisCache.clear)

    def probe(self) -> str:
        """Ask Redis directly, breaker or not: "ok", or why not (for /healthz)."""
        try:
            self._cache.get_client(write=True).ping()
        except FAILURES as exc:
            self.breaker.failed(exc)
            return _one_line(exc)
        self.breaker.succeeded()
        return "ok"


def _one_line(exc: Exception) -> str:
    first_line = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first_line}"[:300]
