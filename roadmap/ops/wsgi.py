"""The fast path: a stranger's shared page found in this process's memory is answered here, from
the WSGI environ alone (no request object, URL resolving or middleware, most of what a stored page
costs in Django). Everything else goes to Django, where PageCacheMiddleware does the same and more
(learners' slots, storing). roadmap/wsgi.py wraps Django with it, for gunicorn and runserver alike.
"""

import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest, get_path_info
from django.http import HttpResponse, parse_cookie

from .middleware import log_request
from .page_cache import (
    STATUS_HEADER,
    PageCache,
    keep_only,
    page_key,
    policy_of,
    session_key_of,
    stranger_response,
)

logger = logging.getLogger("roadmap.page_cache")
CONDITIONAL = {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"}


def with_page_cache(django_application):
    pages = PageCache()

    def application(environ, start_response):
        policy = policy_of(environ) if pages.local is not None else None
        if policy is None or settings.PAGE_CACHE_SECONDS <= 0:
            return django_application(environ, start_response)
        keep_only(environ, policy)  # Django then parses the kept query alone
        if _is_learner(environ.get("HTTP_COOKIE", "")):
            return django_application(environ, start_response)
        started = time.perf_counter()
        try:
            entry = pages.find(page_key(environ))[1]
        except Exception:
            logger.warning("page cache unavailable; rendering", exc_info=True)
            entry = None
        if entry is None:
            return django_application(environ, start_response)
        if CONDITIONAL.intersection(environ):
            response = stranger_response(
                WSGIRequest(environ), HttpResponse(entry.body, headers=entry.headers)
            )
            status, headers, content = response.status_code, response.items(), response.content
        else:  # the common case, without building a response object
            status, headers, content = 200, entry.headers.items(), entry.body
        request_id = log_request(
            environ,
            path=environ.get("SCRIPT_NAME", "").rstrip("/") + get_path_info(environ),
            started=started,
            status=status,
            size=len(content),
            cache="hit",
        )
        start_response(
            "200 OK" if status == 200 else f"{status} {HTTPStatus(status).phrase}",
            [*headers, (STATUS_HEADER, "hit"), ("X-Request-ID", request_id)],
        )
        return [] if environ.get("REQUEST_METHOD", "").upper() == "HEAD" else [content]

    return application


def _is_learner(header: str) -> bool:
    return bool(header) and session_key_of(parse_cookie(header)) is not None
