"""CSRF protection without a token, for the forms that sit on cached, shared pages.

The tick and note forms are on every level page, and those pages are cached and served alike to
every visitor without a session. A CSRF token would make each page one visitor's own (and set a
cookie), so these forms carry none. Instead their views refuse any POST that a browser says came
from another site, the check Go 1.25's `http.CrossOriginProtection` makes:

- `Sec-Fetch-Site` (sent by every current browser) must be `same-origin`, or `none` (the user
  acted directly);
- browsers too old to send it send `Origin` on a POST, which must be this site's;
- a request with neither header is refused: every browser of the last five years sends one, so
  the check fails closed rather than trusting silence.

The session cookie is `SameSite=Lax` as well, so a forged POST would not carry it anyway; this
check also stops one from giving the visitor a new session in place of theirs.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt

ALLOWED_FETCH_SITES = {"same-origin", "none"}


def require_same_origin(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not same_origin(request):
            return HttpResponseForbidden(
                "This form can only be sent from this site's own pages.", content_type="text/plain"
            )
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def same_origin(request: HttpRequest) -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ALLOWED_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
