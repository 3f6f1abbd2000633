"""Reads for the pages. Each selector owns its prefetching, so a page's queries live here."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import Stage, StageCourse, StageItem, StageReading, Track


def track_list() -> QuerySet[Track]:
    return Track.objects.visible().select_related("entry_level")


def track_get(*, slug: str) -> Track:
    """A visible track with its visible stages and every section of each, in a fixed few queries."""
    stages = (
        Stage.objects.visible()
        .select_related("level", "source")
        .prefetch_related(
            Prefetch("items", queryset=StageItem.objects.visible(), to_attr="visible_items"),
            Prefetch(
                "course_links",
                queryset=StageCourse.objects.filter(course__retired=False, course__published=True)
                .select_related("course"),
                to_attr="visible_courses",
            ),
            Prefetch(
                "reading_links",
                queryset=StageReading.objects.select_related("reading", "article"),
                to_attr="all_reading",
            ),
        )
        .order_by("level__order")
    )
    track = (
        Track.objects.visible()
        .filter(slug=slug)
        .prefetch_related(Prefetch("stages", queryset=stages, to_attr="visible_stages"))
        .first()
    )
    if track is None:
        raise Http404(f"No track called {slug!r}")
    return track
