"""Middleware that every response passes through: the request log, health probes, headers."""

import logging
import os
import re
import time

from django.conf import settings
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from .health import health_response

logger = logging.getLogger("roadmap.request")
# A request id from the proxy is kept if it looks like one; anything else gets a fresh id.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")
HEALTH_PATHS = {"/healthz", "/healthz/"}


class RequestLogMiddleware:
    """One JSON line per request on stdout, and an `X-Request-ID` to match it with the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = log_request(
            request.META,
            # A view may name its path otherwise, e.g. to keep a secret token out of the logs.
            path=getattr(request, "path_for_log", request.path),
            started=started,
            status=response.status_code,
            size=None if response.streaming else len(response.content),
            cache=response.get("X-Page-Cache", ""),
        )
        return response


def log_request(
    meta: dict, *, path: str, started: float, status: int, size: int | None, cache: str
) -> str:
    """Write the request's log line; returns its request id for the `X-Request-ID` header.

    It reads the WSGI environ (`request.META`), so the page cache's fast path can log a request
    it answers without building a request object.
    """
    given = meta.get("HTTP_X_REQUEST_ID", "")
    request_id = given if REQUEST_ID.fullmatch(given) else os.urandom(16).hex()
    fields = {
        "request_id": request_id,
        "method": meta.get("REQUEST_METHOD", "")[:20],
        "path": path[:1000],
        "query": meta.get("QUERY_STRING", "")[:1000],
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "bytes": size,
        "cache": cache,
        "htmx": "HTTP_HX_REQUEST" in meta,
        "client": meta.get("REMOTE_ADDR", ""),
        "forwarded_for": meta.get("HTTP_X_FORWARDED_FOR", "")[:200],
        "user_agent": meta.get("HTTP_USER_AGENT", "")[:200],
    }
    logger.info("request", extra={"fields": fields})
    return request_id


class HealthCheckMiddleware:
    """Answers /healthz before the host check and the HTTPS redirect.

    Load balancers and Docker probe an instance by its IP address over plain HTTP, which
    ALLOWED_HOSTS and SECURE_SSL_REDIRECT would turn away; the answer carries no page content.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in HEALTH_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return health_response()


class PermissionsPolicyMiddleware:
    """The one security header Django does not send itself: no camera, microphone, location…"""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


# The database cannot be reached (stopped, unreachable) or refuses writes (disk full, read-only).
DATABASE_DOWN = (OperationalError, InterfaceError, InternalError)
DATABASE_DOWN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Try again in a minute — Roadmap</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>The site cannot reach its database right now</h1>
<p>Nothing was changed: your ticks and notes are as you left them. Please try again in a minute,
or go back to <a href="/">the home page</a>.</p></main></body></html>
"""


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is down or refuses writes answers 503 (try again),
    not 500: the request changed nothing, since every write is one transaction."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, DATABASE_DOWN):
            return None
        return database_down_response(request, exception)


def database_down_response(request: HttpRequest, exception: Exception) -> HttpResponse:
    """503: the database is down (also for a learner's part of a cached page)."""
    logger.warning(
        "database unavailable",
        extra={"fields": {"path": request.path[:1000], "error": _one_line(exception)}},
    )
    response = HttpResponse(DATABASE_DOWN_PAGE, status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


def _one_line(exc: Exception) -> str:
    first_line = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first_line}"[:300]
