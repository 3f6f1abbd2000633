"""/changes/: every content load that changed something, newest first, in plain words; with
`?track=<slug>`, only what changed in that track. The same for every visitor, so cacheable."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roadmap.catalog import selectors as catalog
from roadmap.ops.page_cache import shared_page

from .selectors import load_changes_list


@shared_page(query=("track",))
@require_GET
def changes_page(request: HttpRequest) -> HttpResponse:
    tracks = list(catalog.track_names())
    slug = request.GET.get("track", "")
    track = next((t for t in tracks if t.slug == slug), None)
    context = {
        "loads": load_changes_list(track=track),
        "tracks": tracks,
        "track": track,
        "unknown_track": slug if slug and track is None else "",
    }
    # An address the page never links to (a stale bookmark, a typo) says so, and answers 400
    # so nothing caches or indexes it.
    status = 400 if context["unknown_track"] else 200
    return render(request, "changes/changes.html", context, status=status)
