"""The WSGI application gunicorn serves: Django, with stored pages answered in front of it.

A page found in the shared cache is answered here, from the WSGI environ alone: no request object,
no URL resolving, no middleware, which is most of what a cached page costs in Django. Everything
else, and every page with a local-memory cache, goes through Django as usual (roadmap/wsgi.py).
The answer is the same either way: the page and headers the full stack produced when it was
stored, a 304 when the browser's copy is current, and the same request log line.
"""

import logging
import time
from http import HTTPStatus

from django.core.handlers.wsgi import WSGIRequest, get_path_info

from roadmap.wsgi import application as django_application

from .middleware import log_request
from .page_cache import PageCache, page_response

logger = logging.getLogger("roadmap.page_cache")

pages = PageCache()
CONDITIONAL = {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"}


def application(environ, start_response):
    if pages.local is None:  # no shared cache: the middleware serves stored pages
        return django_application(environ, start_response)
    started = time.perf_counter()
    try:
        page = pages.find(pages.key(environ))[1] if pages.applies(environ) else None
    except Exception:
        logger.warning("page cache unavailable; rendering", exc_info=True)
        page = None
    if page is None:
        return django_application(environ, start_response)
    if CONDITIONAL.intersection(environ):
        response = page_response(WSGIRequest(environ), *page)
        status, headers, content = response.status_code, dict(response.items()), response.content
    else:  # the common case, without building a response object
        status, (content, headers) = 200, page
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
        [*headers.items(), ("X-Page-Cache", "hit"), ("X-Request-ID", request_id)],
    )
    return [] if environ.get("REQUEST_METHOD", "").upper() == "HEAD" else [content]
