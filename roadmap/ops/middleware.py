"""Middleware that every response passes through: the request log, health probes, headers."""

import logging
import os
import re
import time

from django.conf import settings
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
            path=request.path,
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
        "method": meta.get("REQUEST_METHOD", ""),
        "path": path,
        "query": meta.get("QUERY_STRING", ""),
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "bytes": size,
        "cache": cache,
        "htmx": "HTTP_HX_REQUEST" in meta,
        "client": meta.get("REMOTE_ADDR", ""),
        "forwarded_for": meta.get("HTTP_X_FORWARDED_FOR", ""),
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
