"""What /healthz checks, each within a bounded time: the database answers a query and accepts a
write, and the cache answers. Any failure is a 503 that names it."""

import json
import secrets
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse

from .models import HealthWrite

# A database that takes longer than this to write one row is not healthy.
DATABASE_TIMEOUT_MS = 1000


def health_response() -> HttpResponse:
    checks = {"database": _check_database(), "cache": _check_cache()}
    healthy = all(result == "ok" for result in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    response = HttpResponse(
        json.dumps(body), content_type="application/json", status=200 if healthy else 503
    )
    response["Cache-Control"] = "no-store"
    return response


def _check_database() -> str:
    table = connection.ops.quote_name(HealthWrite._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SET LOCAL statement_timeout = {DATABASE_TIMEOUT_MS}")
            cursor.execute("SELECT 1")
            cursor.fetchone()
            cursor.execute(
                f"INSERT INTO {table} (id, checked_at) VALUES (1, %s) "
                "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                [datetime.now(UTC)],
            )
    except Exception as exc:
        return _reason(exc)
    return "ok"


def _check_cache() -> str:
    probe = getattr(cache, "probe", None)  # Redis: a direct ping, past its circuit breaker
    if probe is not None and (answer := probe()) != "ok":
        return answer
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, 10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        return _reason(exc)
    return "ok" if found == value else "the cache did not return the value just written"


def _reason(exc: Exception) -> str:
    first_line = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first_line}"[:300]
