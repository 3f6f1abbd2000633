"""Pages rendered once per content version for everyone, with each learner's part added per request.

How it works, and what keeps it safe (the invariants, written only here):

1. **Opt-in.** Only a view decorated with `@shared_page(...)` is cached; every other view renders
   as Django always does. A shared view promises that its page depends only on the content, the
   URL path, the query parameters it names in `query=`, whether the request is an htmx one, and,
   through `page_progress_get`, the visitor's progress.
2. **One key, built in `page_key`** from the WSGI environ alone: the code version (templates,
   code, static files), the raw values Django derives scheme, host and path from, the named query
   parameters (sorted), and `HX-Request` / `HX-History-Restore-Request` as booleans. Any other
   query parameter is dropped before the view runs (`keep_only`), so junk query strings share the
   canonical page and its entry. A host outside ALLOWED_HOSTS is answered 400, never stored.
3. **Personal slots.** Everything that belongs to one learner is a slot, a small function in
   roadmap/progress/slots.py, placed with `{% personal "name" value=... %}`. While a shared page
   renders, that tag writes a marker instead, and `page_progress_get` answers as for a stranger
   (recording its arguments). The stored entry is the page split at the markers: no learner's
   data is in it. Each request fills the slots: for a stranger once, when stored; for a visitor
   with a session cookie from `page_progress_get` (one small query, no page render).
4. **Pages that open the learner's level** (home, a track page) are one entry per level opened:
   the learner's progress says which level (`opens`), and that entry is rendered as for any
   learner on that level, still without anyone's data.
5. **Stored only when shareable:** a 200 with no cookie set, no `Vary` but `HX-Request`, no
   `Cache-Control: private/no-cache/no-store`; each entry records the content version it was
   rendered under and is served only while that is still current (content_version.py).
6. **Where pages are served.** roadmap/wsgi.py (gunicorn and runserver alike) answers a stranger's
   page from this process's memory before Django (ops/wsgi.py); everything else reaches
   PageCacheMiddleware, just inside the request log, so a stored page holds the headers of every
   middleware below it. A process renders one page at a time per key: requests for a page being
   rendered wait for it.
7. **Failures render.** With the page cache off, or its cache or version unreadable, views render
   as Django always does (slots in place, `Vary: Cookie`); a learner whose progress cannot be
   read gets the database-down 503.

A stored page carries an ETag, a Last-Modified and `Cache-Control: no-cache` (browsers get 304s);
a learner's filled page carries `Cache-Control: private, no-store` and no validators.
"""

import hashlib
import logging
import re
import secrets
import threading
from dataclasses import dataclass, field
from functools import cache as memoize
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.core.handlers.wsgi import get_path_info
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from .content_version import (
    Version,
    cache_is_shared,
    content_version_get,
    content_version_get_with,
)
from .middleware import DATABASE_DOWN, database_down_response

logger = logging.getLogger("roadmap.page_cache")
STATUS_HEADER = "X-Page-Cache"
NOT_SHARED = {"private", "no-cache", "no-store"}
# A slot's marker in the shared render: unguessable, so no text on the page can forge one.
MARKER = "\x00slot" + secrets.token_hex(8)
MARKER_RE = re.compile(re.escape(MARKER) + r"(\d+)\x00")
# Pages one process keeps in memory (about 50 kB each) before it starts that shelf over; searches
# (addresses with a query string) are countless, so they get a shelf of their own.
LOCAL_ENTRIES = 500
LOCAL_QUERY_ENTRIES = 200
QUERY_KEY = "page:q:"


@dataclass(frozen=True)
class SharedPage:
    query: frozenset[str]
    seconds: int | None  # None: PAGE_CACHE_SECONDS


def shared_page(*, query: tuple[str, ...] = (), seconds: int | None = None):
    """Cache this view's page for everyone; `query` names the query parameters it reads."""

    def decorate(view):
        view.shared_page = SharedPage(frozenset(query), seconds)
        return view

    return decorate


@dataclass
class SharedRender:
    """A shared page being rendered (`request.shared_render`): what the slots and
    `page_progress_get` tell the page cache, and which learner's level it opens, if any."""

    slots: list = field(default_factory=list)  # (slot name, values), by marker number
    progress_args: dict = field(default_factory=dict)
    opens: str = ""  # a learner's level (stage content id) the page opens instead of the default
    varies: bool = False  # the page opens the visitor's own level (home, a track page)


def shared_render(request: HttpRequest, **progress_args) -> SharedRender | None:
    """For `page_progress_get`: the shared render in progress (answer as for a stranger, opening
    `opens` if set), or None; `progress_args` are kept with the page to fill its slots later."""
    render = getattr(request, "shared_render", None)
    if render is not None:
        render.progress_args = progress_args
    return render


def slot_marker(request: HttpRequest | None, name: str, values: dict) -> str | None:
    """For `{% personal %}`: a marker while a shared page renders, else None (render in place)."""
    render = getattr(request, "shared_render", None)
    if render is None:
        if request is not None:  # the page shows someone's progress: it varies with the cookie
            request.has_personal_slots = True
        return None
    render.slots.append((name, values))
    return f"{MARKER}{len(render.slots) - 1}\x00"


@dataclass
class Entry:
    token: str  # the content version it was rendered under
    body: bytes  # as a stranger sees it
    headers: dict
    pieces: list | None  # html, (slot name, values), html, ...: None when nothing is personal
    progress_args: dict
    varies: bool = False  # opens the visitor's own level: a learner gets the entry for theirs


class PageCache:
    """Finding and storing entries; with Redis, each process also keeps those it served in
    memory, so a hit usually needs no round trip (the version comes from content_version.py)."""

    def __init__(self):
        self.local: dict | None = {} if cache_is_shared() else None
        self.local_queries: dict = {}

    def find(self, key: str) -> tuple[Version, Entry | None]:
        if self.local is None:
            version, entry = content_version_get_with(key)
        else:
            version, entry = content_version_get(), self._shelf(key).get(key)
            if entry is None or entry.token != version.token:
                entry = cache.get(key)
                if entry is not None and entry.token == version.token:
                    self._keep(key, entry)
        return version, entry if entry is not None and entry.token == version.token else None

    def store(self, key: str, entry: Entry, seconds: int) -> None:
        cache.set(key, entry, seconds)
        if self.local is not None:
            self._keep(key, entry)

    def _shelf(self, key: str) -> dict:
        return self.local_queries if key.startswith(QUERY_KEY) else self.local

    def _keep(self, key: str, entry: Entry) -> None:
        shelf = self._shelf(key)
        if len(shelf) >= (LOCAL_QUERY_ENTRIES if shelf is self.local_queries else LOCAL_ENTRIES):
            shelf.clear()
        shelf[key] = entry


class PageCacheMiddleware:
    """Serves shared pages from the cache and fills in the learner's part; renders and stores
    them on a miss. It sits just inside the request log and the method and body checks, so a
    stored page holds the headers of every middleware below it and a hit skips them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.pages = PageCache()
        self.locks: dict[str, threading.Lock] = {}
        self.locks_lock = threading.Lock()
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        self.sessions = SessionMiddleware(get_response)  # saves what filling the slots changed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        policy = (
            _policy(request.path_info, get_urlconf(settings.ROOT_URLCONF))
            if request.method == "GET"
            else None
        )
        if policy is None:
            return self.get_response(request)
        if keep_only(request.META, policy):
            request.__dict__.pop("GET", None)  # parsed again, without the dropped parameters
        seconds = min(settings.PAGE_CACHE_SECONDS, policy.seconds or settings.PAGE_CACHE_SECONDS)
        key = page_key(request.META)
        response, entry = self._page(request, key, seconds)
        if entry is None:
            return response
        session_key = session_key_of(request.COOKIES)
        if entry.pieces and session_key:
            if not hasattr(request, "session"):
                request.session = self.session_store(session_key)
            try:
                progress = page_progress(request, entry.progress_args)
            except DATABASE_DOWN as exc:  # their ticks cannot be read: say so, as any page does
                return database_down_response(request, exc)
            if progress.personal:
                if entry.varies and progress.stage is not None:  # the page opens their level
                    opens = progress.stage.content_id
                    response, entry = self._page(request, f"{key}@{opens}", seconds, opens)
                    if entry is None:  # the cache failed meanwhile: the view rendered it for them
                        return response
                status = response.get(STATUS_HEADER) if response is not None else "hit"
                return self._learners(request, entry, progress, status)
        if response is None:
            response = HttpResponse(entry.body, headers=entry.headers)
            response[STATUS_HEADER] = "hit"
        return stranger_response(request, response)

    def _page(self, request, key: str, seconds: int, opens: str = ""):
        """(the response of a render, or None for a stored page; its entry, None when the page
        was rendered as Django always does: no cache to store it in, or streamed)"""
        version, entry = self._find(key) if seconds > 0 else (None, None)
        if entry is None and version is not None:
            # One render per page at a time in this process: when a content load retires every
            # page, the requests that arrive for one page meanwhile wait for it, not render it too.
            with self._rendering(key):
                version, entry = self._find(key)
                if entry is None and version is not None:
                    return self._render(request, key, version, seconds, opens)
        if version is None:  # the page cache is off or cannot be read: the view's own page
            response = self.get_response(request)
            if getattr(request, "has_personal_slots", False):
                patch_vary_headers(response, ["Cookie"])
            return response, None
        return None, entry

    def _find(self, key: str) -> tuple[Version | None, Entry | None]:
        try:
            return self.pages.find(key)
        except Exception:
            logger.warning("page cache unavailable; rendering", exc_info=True)
            return None, None

    def _rendering(self, key: str) -> threading.Lock:
        with self.locks_lock:
            if len(self.locks) > 1000:  # forget old ones; one in use is kept by its holder
                self.locks.clear()
            return self.locks.setdefault(key, threading.Lock())

    def _render(self, request, key: str, version: Version, seconds: int, opens: str):
        """Render the shared part (personal slots as markers, a stranger's part filled in) and
        store it if shareable."""
        request.shared_render = render = SharedRender(opens=opens)
        try:
            response = self.get_response(request)
        finally:
            request.shared_render = None
        if response.streaming:
            return response, None
        shareable = _shareable(response)
        pieces = None
        if render.slots:
            parts = MARKER_RE.split(response.content.decode())
            pieces = [p if n % 2 == 0 else render.slots[int(p)] for n, p in enumerate(parts)]
            _set_content(
                response, _fill(pieces, page_progress(HttpRequest(), render.progress_args))
            )
            patch_vary_headers(response, ["Cookie"])
        response.headers.pop("ETag", None)  # it was of the page with markers
        entry = Entry(
            version.token, response.content, {}, pieces, render.progress_args, render.varies
        )
        if shareable:
            _add_validators(response, entry, version.changed_at)
            entry.headers = dict(response.items())
            try:
                self.pages.store(key, entry, seconds)
            except Exception:
                logger.warning("page cache unavailable; not stored", exc_info=True)
            response[STATUS_HEADER] = "miss"
        else:
            entry.headers = dict(response.items())
        return response, entry

    def _learners(self, request, entry: Entry, progress, status: str | None) -> HttpResponse:
        """The learner's page: the shared one with their slots filled in."""
        response = HttpResponse(headers=entry.headers)
        _set_content(response, _fill(entry.pieces, progress))
        for name in ("ETag", "Last-Modified", STATUS_HEADER):
            response.headers.pop(name, None)
        if status:
            response[STATUS_HEADER] = status
        # no-store: Back after a reset or a tick elsewhere asks again (the true state)
        response["Cache-Control"] = "private, no-cache, no-store, must-revalidate"
        # page_progress_get may note the visit in the session ("since your last visit")
        return self.sessions.process_response(request, response)


# Django's session keys are 32 characters of a-z and 0-9 (SessionBase._get_new_session_key).
SESSION_KEY = re.compile(r"[a-z0-9]{32}")


def session_key_of(cookies: dict) -> str | None:
    """The session cookie's value if it could name a session: any other value (junk) is a
    stranger's page at once, without looking the session up."""
    value = cookies.get(settings.SESSION_COOKIE_NAME)
    return value if value and SESSION_KEY.fullmatch(value) else None


def stranger_response(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A shared page as a stranger gets it, or a 304 if the browser's copy is current."""
    if response.status_code != 200 or not response.has_header("ETag"):
        return response
    last_modified = response.get("Last-Modified")
    not_modified = get_conditional_response(
        request, etag=response["ETag"], response=response,
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
    )  # fmt: skip
    if not_modified is not response:  # a 304 keeps the page's security headers
        for name, value in response.items():
            if name not in ("Content-Type", "Content-Length"):
                not_modified.headers.setdefault(name, value)
    return not_modified


def page_key(meta: dict) -> str:
    """The key of a page, from the WSGI environ (`request.META`) alone: the raw values Django
    derives the scheme, host and path from, the kept query, and the htmx headers as booleans."""
    values = [code_version(), *(meta.get(name, "") for name in _key_values())]
    values += [str(meta.get(name) == "true") for name in HTMX_HEADERS]
    raw = "\n".join(values).encode("utf-8", "surrogateescape")
    shelf = QUERY_KEY if meta.get("QUERY_STRING") else "page:"
    return shelf + hashlib.sha256(raw).hexdigest()[:32]


HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_HISTORY_RESTORE_REQUEST")


@memoize
def _key_values() -> tuple[str, ...]:
    names = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")
    names += ("PATH_INFO", "QUERY_STRING")
    if settings.USE_X_FORWARDED_HOST:
        names += ("HTTP_X_FORWARDED_HOST",)
    if settings.SECURE_PROXY_SSL_HEADER:
        names += (settings.SECURE_PROXY_SSL_HEADER[0],)
    return names


def page_progress(request: HttpRequest, args: dict):
    from roadmap.progress.selectors import page_progress_get

    return page_progress_get(request=request, **args)


def policy_of(meta: dict) -> SharedPage | None:
    """The `@shared_page` of the view a GET or HEAD is for, if it has one."""
    if meta.get("REQUEST_METHOD", "").upper() not in ("GET", "HEAD"):
        return None
    return _policy(get_path_info(meta), get_urlconf(settings.ROOT_URLCONF))


@lru_cache(maxsize=1024)
def _policy(path: str, urlconf: str | None) -> SharedPage | None:
    try:
        return getattr(resolve(path, urlconf).func, "shared_page", None)
    except Resolver404:
        return None


def keep_only(meta: dict, policy: SharedPage) -> bool:
    """Drop the query parameters the view does not read, before anything parses the query."""
    raw = meta.get("QUERY_STRING", "")
    if not raw:
        return False
    kept = sorted((k, v) for k, v in parse_qsl(raw, keep_blank_values=True) if k in policy.query)
    meta["QUERY_STRING"] = urlencode(kept)
    return meta["QUERY_STRING"] != raw


def _fill(pieces: list, progress) -> bytes:
    from roadmap.progress.slots import SLOTS

    return "".join(
        piece if n % 2 == 0 else SLOTS[piece[0]](progress, **piece[1])
        for n, piece in enumerate(pieces)
    ).encode()


def _set_content(response: HttpResponse, body: bytes) -> None:
    response.content = body
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(body))


@memoize
def code_version() -> str:
    """A digest of templates, Python code and static files (through collectstatic's manifest
    when there is one), so a deploy never serves pages the old code made."""
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
    folders = settings.STATICFILES_DIRS
    return sorted(p for folder in folders for p in Path(folder).rglob("*") if p.is_file())


def _shareable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = {d.split("=")[0].strip().lower() for d in _list(response, "Cache-Control")}
    vary = {v.lower() for v in _list(response, "Vary")}
    return not (cache_control & NOT_SHARED) and vary <= {"hx-request"}


def _list(response: HttpResponse, name: str) -> list[str]:
    return [item.strip() for item in response.get(name, "").split(",") if item.strip()]


def _add_validators(response: HttpResponse, entry: Entry, changed_at: float) -> None:
    set_response_etag(response)
    if changed_at and not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(changed_at)
    response.headers.setdefault("Cache-Control", "no-cache")
