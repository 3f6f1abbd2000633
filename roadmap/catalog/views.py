from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", {"tracks": selectors.track_list()})


@require_GET
def track_detail(request: HttpRequest, track: str) -> HttpResponse:
    return render(request, "tracks/track.html", {"track": selectors.track_get(slug=track)})
