"""What a request may be before any view sees it: its method and its body.

- Methods: HEAD works wherever GET does, answered as the GET without its body; a method a URL
  does not take is answered 405 with an `Allow` header, before the CSRF check could answer a
  confusing 403.
- Bodies: one larger than its address accepts is refused with 413 before a byte of it is read;
  one shorter than its `Content-Length` (the client stopped sending) is refused with 400, so a
  fragment is never saved as if it were the whole note.
"""

import inspect

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

NOTHING_CHANGED = "Nothing was changed."
READ_ONLY = ("GET", "HEAD")


class MethodMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        method = request.method
        if method != "GET":
            try:
                allowed = allowed_methods(request.path_info)
            except Resolver404:
                return self.get_response(request)  # the 404 page, whatever the method
            if method == "OPTIONS":
                return _with_allow(HttpResponse(status=204), allowed)
            if method not in allowed:
                return _with_allow(
                    _plain(f"This address does not accept {method[:20]} requests.", 405), allowed
                )
        if method != "HEAD":
            return self.get_response(request)
        request.method = "GET"  # the view (and the page cache) answer as to a GET...
        response = self.get_response(request)
        if response.streaming:  # ...and the body goes; Content-Length stays the GET's
            response.streaming_content = []
        else:
            response.content = b""
        return response


def allowed_methods(path: str) -> list[str]:
    """The methods the view at `path` takes (raises Resolver404 for an unknown address).

    Admin takes its own forms' POSTs; a view with Django's `require_http_methods` (or
    `require_GET`, `require_POST`) takes what it lists; every other page is read-only.
    """
    match = resolve(path)
    if match.app_name == "admin":
        return ["GET", "HEAD", "POST"]
    methods = _declared_methods(match.func) or ["GET"]
    return [*methods, "HEAD"] if "GET" in methods and "HEAD" not in methods else list(methods)


def _declared_methods(view) -> list[str] | None:
    """The list a `require_http_methods` wrapper in the view's decorator chain checks against."""
    while view is not None:
        if getattr(view, "__closure__", None):
            declared = inspect.getclosurevars(view).nonlocals.get("request_method_list")
            if declared is not None:
                return list(declared)
        view = getattr(view, "__wrapped__", None)
    return None


def _with_allow(response: HttpResponse, allowed: list[str]) -> HttpResponse:
    response["Allow"] = ", ".join(allowed)
    return response


class RequestBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.limits = sorted(
            settings.REQUEST_BODY_MAX_BYTES_BY_PATH.items(), key=lambda item: -len(item[0])
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit():
            return _plain(f"The request's Content-Length is not a number. {NOTHING_CHANGED}", 400)
        length, limit = int(declared), self.limit(request.path_info)
        if length > limit:
            return _plain(
                f"That request is too large ({_size(length)}); this address accepts at most "
                f"{_size(limit)}. {NOTHING_CHANGED}",
                413,
            )
        if length:
            try:
                received = len(request.body)
            except OSError:  # the connection broke or timed out mid-body
                received = -1
            if received != length:
                return _plain(
                    "The request ended before all of it arrived (the connection was cut). "
                    f"{NOTHING_CHANGED} Please send it again.",
                    400,
                )
        return self.get_response(request)

    def limit(self, path: str) -> int:
        for prefix, limit in self.limits:
            if path.startswith(prefix):
                return limit
        return settings.REQUEST_BODY_MAX_BYTES


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _plain(text: str, status: int) -> HttpResponse:
    response = HttpResponse(text + "\n", content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response
