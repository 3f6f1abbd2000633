"""How answers that show a learner's progress are marked for caches."""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from .selectors import PageProgress


def personal_page(response: HttpResponse, progress: PageProgress) -> HttpResponse:
    """A page showing someone's ticks is theirs alone: `private` keeps it out of shared caches
    (the page cache stores no such answer), `no-store` keeps it out of the browser's, so Back
    after a reset or a tick elsewhere asks again and shows the true state, not a stale copy."""
    if progress.personal:
        add_never_cache_headers(response)
    return response
