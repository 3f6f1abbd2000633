"""The learner's pages: one typed function per URL that asks the selectors and renders.

Track and level URLs have two shapes: htmx requests from a tab get the panel alone, everything
else (including htmx's history-restore requests) the full page; both vary on `HX-Request`.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from roadmap.ops.page_cache import shared_page
from roadmap.progress.http import personal_page
from roadmap.progress.selectors import page_progress_get

from . import selectors
from .catalogue import Catalogue, catalogue_get
from .filters import FILTER_NAMES, catalogue_filters
from .missing_level import missing_level_get
from .models import Cost, ResourceKind


def _wants_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


# A learner's home opens the track and level where they left off (one shared page per level).
@shared_page()
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    catalogue = catalogue_get()
    tracks = catalogue.tracks()
    progress = page_progress_get(request=request, tracks=tracks)  # opens where they left off
    track, stage = progress.track, progress.stage
    context = {
        "site": catalogue.site_text(),
        "starting_points": catalogue.starting_points(),
        "tracks": tracks,
        "track": track,
        "level": catalogue.level_detail(stage, track) if stage else None,
        "mistakes": catalogue.common_mistakes(),
        "chart": catalogue.chart(),
        "progress": progress,
    }
    return personal_page(render(request, "pages/home.html", context), context["progress"])


# A learner's track page opens their own level (one shared page per level).
@shared_page()
@require_GET
@vary_on_headers("HX-Request")
def track_detail(request: HttpRequest, track: str) -> HttpResponse:
    return _track_page(request, track=track, level=None)


@shared_page()
@require_GET
@vary_on_headers("HX-Request")
def level_detail(request: HttpRequest, track: str, level: str) -> HttpResponse:
    return _track_page(request, track=track, level=level)


def _track_page(request: HttpRequest, *, track: str, level: str | None) -> HttpResponse:
    partial = _wants_partial(request)
    if partial and level is not None:  # a level tab: the level panel alone
        return _level_panel(request, track=track, level=level)
    catalogue = catalogue_get()
    tracks = None if partial else catalogue.tracks()
    try:
        current = catalogue.track(track)
    except selectors.TrackNotFound:
        moved = selectors.track_redirect_get(old_slug=track)
        if moved is None:
            raise
        args = [moved.slug] if level is None else [moved.slug, level]
        return redirect("level" if level else "track", *args, permanent=True)
    stage = selectors.stage_pick(track=current, level_slug=level) if level else None
    progress = page_progress_get(
        request=request, track=current, stage=stage, tracks=tracks, opened=level is not None
    )
    stage = progress.stage  # a track page opens the learner's own level
    context = {
        "tracks": tracks,
        "track": current,
        "level": catalogue.level_detail(stage, current) if stage else None,
        # A level's own URL, or a learner's track page (which opens their level), shows the
        # track compactly above the level rather than the "Pick your track" hero.
        "level_url": level is not None,
        "deep_level": level is not None or progress.own_level,
        "progress": progress,
    }
    if partial:
        response = render(request, "tracks/track.html#track-response", context)
    else:
        if not context["deep_level"]:
            context["site"] = catalogue.site_text()
        response = render(request, "tracks/track.html", context)
    return personal_page(response, context["progress"])


def _level_panel(request: HttpRequest, *, track: str, level: str) -> HttpResponse:
    catalogue = catalogue_get()
    current = catalogue.track(track)
    stage = selectors.stage_pick(track=current, level_slug=level)
    context = {
        "track": current,
        "level": catalogue.level_detail(stage, current),
        "progress": page_progress_get(request=request, stage=stage, opened=True),
    }
    response = render(request, "tracks/track.html#level-response", context)
    return personal_page(response, context["progress"])


@shared_page()
@require_GET
def timelines(request: HttpRequest) -> HttpResponse:
    catalogue = catalogue_get()
    context = {
        "site": catalogue.site_text(),
        "tracks": catalogue.tracks(),
        "chart": catalogue.chart(),
    }
    return render(request, "pages/timelines.html", context)


@shared_page(query=FILTER_NAMES)
@require_GET
@vary_on_headers("HX-Request")
def courses(request: HttpRequest) -> HttpResponse:
    catalogue = catalogue_get()
    context = _catalogue_context(request, catalogue)
    context["courses"] = catalogue.courses(**context["filters"].values)
    context["heading"] = context["filters"].heading(
        len(context["courses"]), noun=("course", "courses")
    )
    return _catalogue_page(request, context, "pages/courses.html", "course-results")


@shared_page(query=FILTER_NAMES)
@require_GET
@vary_on_headers("HX-Request")
def reading(request: HttpRequest) -> HttpResponse:
    catalogue = catalogue_get()
    context = _catalogue_context(request, catalogue)
    context["articles"], context["reading"] = catalogue.reading(**context["filters"].values)
    count = len(context["articles"]) + len(context["reading"])
    context["heading"] = context["filters"].heading(
        count, noun=("reading entry", "reading entries")
    )
    return _catalogue_page(request, context, "pages/reading.html", "reading-results")


def _catalogue_context(request: HttpRequest, catalogue: Catalogue) -> dict:
    """The filter form's choices and what the query string asked for (invalid values dropped)."""
    tracks, levels = catalogue.tracks(), catalogue.levels()
    return {
        "tracks": tracks,
        "levels": levels,
        "kinds": ResourceKind.choices,
        "costs": Cost.choices,
        "filters": catalogue_filters(request.GET, tracks=tracks, levels=levels),
    }


def _catalogue_page(request: HttpRequest, context: dict, template: str, results: str):
    # A value the form never offers (a stale bookmark, a typo) is a bad request: say so on the
    # page, show what the valid filters match, and answer 400 so nothing caches or indexes it.
    status = 400 if context["filters"].problems else 200
    if _wants_partial(request):
        return render(request, f"{template}#{results}", context, status=status)
    return render(request, template, context, status=status)


@shared_page()
@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "pages/article.html", {"article": selectors.article_get(slug=slug)})


@shared_page()
@require_GET
def guide_index(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/guides.html", {"guides": catalogue_get().guides()})


@shared_page()
@require_GET
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    catalogue = catalogue_get()
    guide, toc = catalogue.guide(slug)
    guides = catalogue.guides()
    index = next(n for n, g in enumerate(guides) if g.pk == guide.pk)
    context = {
        "guide": guide,
        "toc": toc,
        "previous": guides[index - 1] if index > 0 else None,
        "next": guides[index + 1] if index + 1 < len(guides) else None,
    }
    return render(request, "pages/guide.html", context)


@shared_page()
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return render(request, "robots.txt", {"sitemap": sitemap}, content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page, which names what was missing and offers the tracks (or the track's levels)."""
    missing = exception if isinstance(exception, selectors.TrackNotFound) else None
    missing_level = missing_level_get(missing=missing) if missing else None
    context = {
        "missing": missing,
        "missing_level": missing_level,
        # the track whose levels the page lists (a level panel's 404 looks its track up)
        "levels_of": missing_level.track if missing_level else getattr(missing, "track", None),
        "tracks": selectors.track_names(),
    }
    return render(request, "404.html", context, status=404)
