"""Whole rendered pages, cached per content and code version, for visitors without a session.

A page is stored only when nothing in it can belong to one visitor: the answer to a GET from a
request with no session cookie, status 200, no cookie set (a rendered CSRF token sets one), no
`Vary` header except the htmx ones the key already holds (a view that reads the session gets
`Vary: Cookie`), no `Cache-Control: private, no-cache or no-store`, and not opted out.

A view opts out with `@page_cache_exempt`, or per response with `response.page_cache = False`.
A page that mixes shared and per-visitor parts can stay cached and load the per-visitor part
from an exempt URL with `hx-get`.

The key holds the code version and the raw request values Django derives the scheme, host, path
and query from, and the `HX-Request` and `HX-History-Restore-Request` headers, so the htmx partial
and the full page of one URL are separate entries. It is computed from the WSGI environ alone, so
the fast path (wsgi.py) needs no request object; a host outside ALLOWED_HOSTS is answered 400 and
never stored, so its key never finds a page. Each entry records the content version it was
rendered under and is served only while that is still the current version.

With Redis, each process also keeps the pages it served in memory, so a hit usually needs no
round trip at all (content_version.py says how a process learns of a new version). Addresses
with a query string (searches, filters) are countless, so they get a shelf of their own: a burst
of new searches cannot push the pages out.

Stored pages carry an ETag, a Last-Modified (when the content last changed) and
`Cache-Control: no-cache`, so browsers ask again and get a 304 if nothing changed.

If the cache or the database fails, the request is rendered as if there were no cache.
"""

import hashlib
import logging
from functools import cache as memoize
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, parse_cookie
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from .content_version import (
    Version,
    cache_is_shared,
    content_version_get,
    content_version_get_with,
)

logger = logging.getLogger("roadmap.page_cache")

# The environ values that decide which page a request gets (settings add the proxy's header).
KEY_VALUES = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_HX_REQUEST",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
)
VARY_IN_KEY = {"hx-request", "hx-history-restore-request"}
NOT_SHARED = {"private", "no-cache", "no-store"}
STATUS_HEADER = "X-Page-Cache"
# Pages one process keeps in memory (about 30 kB each) before it starts that shelf over.
LOCAL_ENTRIES = 500
LOCAL_QUERY_ENTRIES = 200
QUERY_KEY = "page:q:"  # the key's prefix for an address with a query string


def page_cache_exempt(view):
    """Never cache this view's pages: they carry something of the visitor's own."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache = False
        return response

    return wrapper


class PageCache:
    """Finding and storing pages; used by the middleware and by the WSGI entry point."""

    def __init__(self):
        self.seconds = settings.PAGE_CACHE_SECONDS
        self.code_version = code_version()
        self.bypass_cookies = (settings.SESSION_COOKIE_NAME, "messages")
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        self.key_values = KEY_VALUES + _proxy_headers()
        # With a shared cache this process keeps the pages it served, so a hit needs no round
        # trip for the page; the version tells whether its copy is still current.
        self.local: dict[str, tuple] | None = {} if cache_is_shared() else None
        self.local_queries: dict[str, tuple] = {}

    def applies(self, meta: dict) -> bool:
        """Whether a request (its WSGI environ, `request.META`) may get a stored page."""
        return (
            self.seconds > 0
            and meta.get("REQUEST_METHOD", "").upper() in ("GET", "HEAD")
            and not meta.get("PATH_INFO", "").startswith(self.static_prefix)
            and not self._has_visitor_cookie(meta.get("HTTP_COOKIE", ""))
        )

    def key(self, meta: dict) -> str:
        raw = "\n".join([meta.get(name, "") for name in self.key_values])
        address = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        shelf = QUERY_KEY if meta.get("QUERY_STRING") else "page:"
        return f"{shelf}{self.code_version}:{address}"

    def _has_visitor_cookie(self, header: str) -> bool:
        return bool(header) and any(name in parse_cookie(header) for name in self.bypass_cookies)

    def find(self, key: str) -> tuple[Version, tuple[bytes, dict] | None]:
        """The current version, and the page (content, headers) stored under it, if any."""
        if self.local is None:
            version, entry = content_version_get_with(key)
        else:
            version, entry = content_version_get(), self._shelf(key).get(key)
            if entry is None or entry[0] != version.token:
                entry = cache.get(key)
                if entry is not None and entry[0] == version.token:
                    self._keep(key, entry)
        if entry is None or entry[0] != version.token:
            return version, None
        return version, (entry[1], entry[2])

    def store(self, request: HttpRequest, response: HttpResponse, key: str, version: Version):
        if request.method != "GET" or not _shareable(response):
            return
        _add_validators(response, version.changed_at)
        entry = (version.token, response.content, dict(response.items()))
        cache.set(key, entry, self.seconds)
        if self.local is not None:
            self._keep(key, entry)
        response[STATUS_HEADER] = "miss"

    def _shelf(self, key: str) -> dict[str, tuple]:
        return self.local_queries if key.startswith(QUERY_KEY) else self.local

    def _keep(self, key: str, entry: tuple) -> None:
        shelf = self._shelf(key)
        if len(shelf) >= (LOCAL_QUERY_ENTRIES if shelf is self.local_queries else LOCAL_ENTRIES):
            shelf.clear()
        shelf[key] = entry


class PageCacheMiddleware:
    """Serves a stored page before the rest of the stack runs; stores what the stack answered.

    It sits just inside the request log, so a stored page holds the headers every middleware
    below added (security headers, ETag), and a hit skips them all. A request over plain HTTP is
    never served from the cache in production, because the scheme is part of the key and HTTP
    requests there are redirected, never stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.pages = PageCache()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.pages.applies(request.META):
            return self.get_response(request)
        key = self.pages.key(request.META)
        try:
            version, page = self.pages.find(key)
        except Exception:
            logger.warning("page cache unavailable; rendering", exc_info=True)
            return self.get_response(request)
        if page is not None:
            response = page_response(request, *page)
            response[STATUS_HEADER] = "hit"
            return response
        response = self.get_response(request)
        try:
            self.pages.store(request, response, key, version)
        except Exception:
            logger.warning("page cache unavailable; not stored", exc_info=True)
        return response


def page_response(request: HttpRequest, content: bytes, headers: dict) -> HttpResponse:
    """A stored page as a response, or a 304 if the browser's copy is current."""
    response = HttpResponse(content, headers=headers)
    last_modified = parse_http_date_safe(headers.get("Last-Modified", ""))
    not_modified = get_conditional_response(
        request, etag=headers.get("ETag"), last_modified=last_modified, response=response
    )
    if not_modified is not response:  # a 304 keeps the security headers of the page
        for name, value in headers.items():
            if name not in ("Content-Type", "Content-Length"):
                not_modified.headers.setdefault(name, value)
        response = not_modified
    return response


@memoize
def code_version() -> str:
    """A digest of templates, Python code and static files, so a deploy never serves pages the
    old code made, nor pages that link to hashed stylesheets or scripts the new image lacks.

    Static files count through collectstatic's manifest (their hashed names) when it exists, as
    in the image; otherwise through the files in static/ themselves.
    """
    digest = hashlib.sha256()
    for folder in (settings.BASE_DIR / "templates", Path(__file__).resolve().parent.parent):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".py", ".txt", ".xml"} and path.is_file():
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    statics = [manifest] if manifest.is_file() else _static_files()
    for path in statics:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _static_files() -> list[Path]:
    return sorted(
        path
        for folder in settings.STATICFILES_DIRS
        for path in Path(folder).rglob("*")
        if path.is_file()
    )


def _proxy_headers() -> tuple[str, ...]:
    """The headers a proxy may set that change the scheme or host Django sees."""
    headers = ("HTTP_X_FORWARDED_HOST",) if settings.USE_X_FORWARDED_HOST else ()
    if settings.SECURE_PROXY_SSL_HEADER:
        headers += (settings.SECURE_PROXY_SSL_HEADER[0],)
    return headers


def _shareable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not getattr(response, "page_cache", True):
        return False
    cache_control = {d.split("=")[0].lower() for d in _header_list(response, "Cache-Control")}
    vary = {v.lower() for v in _header_list(response, "Vary")}
    return not (cache_control & NOT_SHARED) and vary <= VARY_IN_KEY


def _header_list(response: HttpResponse, name: str) -> list[str]:
    return [item.strip() for item in response.get(name, "").split(",") if item.strip()]


def _add_validators(response: HttpResponse, changed_at: float) -> None:
    if not response.has_header("ETag"):
        set_response_etag(response)
    if changed_at and not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(changed_at)
    response.headers.setdefault("Cache-Control", "no-cache")
