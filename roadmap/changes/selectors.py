"""Reads of the content loads that changed something, with their changes: two queries."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch

from roadmap.catalog.models import ContentChange, ContentLoad, Track

from .words import ChangeLine, change_lines

LOADS_SHOWN = 50  # /changes/ and each feed: the newest loads that changed something


@dataclass
class LoadChanges:
    load: ContentLoad
    changes: list[ContentChange]
    lines: list[ChangeLine] = field(default_factory=list)


def load_changes_list(*, track: Track | None = None, limit: int = LOADS_SHOWN) -> list[LoadChanges]:
    """The newest loads with a change (in `track`, when given), each with its changes in words."""
    changes = ContentChange.objects.all()
    if track is not None:
        changes = changes.filter(track_content_id=track.content_id)
    loads = (
        ContentLoad.objects.filter(Exists(changes.filter(load=OuterRef("pk"))))
        .order_by("-started_at", "-pk")
        .prefetch_related(Prefetch("changes", queryset=changes, to_attr="shown_changes"))
    )[:limit]
    return [
        LoadChanges(load, load.shown_changes, change_lines(load.shown_changes)) for load in loads
    ]
