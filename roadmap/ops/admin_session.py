"""Staff sign-ins: throttled by django-axes (settings), and short-lived.

Learners keep their session for a year (their progress hangs on it); a staff member's session,
which can change the site, expires ADMIN_SESSION_SECONDS after signing in.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse


def admin_session_shorten(sender, request: HttpRequest, user, **kwargs) -> None:
    """Receiver for `user_logged_in` (connected in apps.py)."""
    if request is not None and hasattr(request, "session"):
        request.session.set_expiry(settings.ADMIN_SESSION_SECONDS)


def admin_session_connect() -> None:
    user_logged_in.connect(admin_session_shorten, dispatch_uid="admin-session-shorten")


def locked_out_response(request: HttpRequest, original_response=None, credentials=None):
    """What django-axes answers once an account or an address has too many failed sign-ins."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = HttpResponse(
        "Too many failed sign-ins for this account or from this address. "
        f"Try again in {minutes} minutes.\n",
        content_type="text/plain; charset=utf-8",
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def client_address(request: HttpRequest) -> str:
    """The visitor's address: behind the proxy, the hop it appended to X-Forwarded-For."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded[:45]
    return request.META.get("REMOTE_ADDR", "")
