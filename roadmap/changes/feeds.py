"""Atom feeds (RFC 4287) of the content loads that changed something: the whole site's at
/changes.atom, one track's at /tracks/<slug>/changes.atom. Django's syndication framework writes
the feed; `ChangesAtom` adds each entry's `<content>`, which Atom1Feed leaves out."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from roadmap.catalog import selectors as catalog
from roadmap.catalog.models import Track

from .selectors import LoadChanges, load_changes_list
from .words import load_title


class ChangesAtom(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass(frozen=True)
class Entry:
    changes: LoadChanges
    base: str  # the site's address, for absolute links inside the content
    track: Track | None


@dataclass(frozen=True)
class Scope:
    base: str
    track: Track | None


class SiteChangesFeed(Feed):
    feed_type = ChangesAtom
    author_name = "Roadmap"

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Scope:
        return Scope(base=request.build_absolute_uri("/").rstrip("/"), track=None)

    def title(self, scope: Scope) -> str:
        return "Roadmap: what changed"

    def subtitle(self, scope: Scope) -> str:
        return "Every content update that added, changed or retired something on the roadmap."

    def link(self, scope: Scope) -> str:
        return reverse("changes:list")

    def feed_url(self, scope: Scope) -> str:
        return reverse("changes:feed")

    def items(self, scope: Scope) -> list[Entry]:
        loads = load_changes_list(track=scope.track)
        return [Entry(changes, scope.base, scope.track) for changes in loads]

    def item_title(self, entry: Entry) -> str:
        return load_title(entry.changes.changes)

    def item_link(self, entry: Entry) -> str:
        page = reverse("changes:list")
        if entry.track is not None:
            page += f"?track={entry.track.slug}"
        return f"{page}#load-{entry.changes.load.pk}"

    def item_description(self, entry: Entry) -> None:
        return None  # the entry carries <content> instead of a summary

    def item_updateddate(self, entry: Entry):
        return entry.changes.load.started_at

    def item_pubdate(self, entry: Entry):
        return entry.changes.load.started_at

    def item_extra_kwargs(self, entry: Entry) -> dict:
        lines = format_html_join(
            "",
            "<li>{}</li>",
            (
                (format_html('<a href="{}{}">{}</a>', entry.base, line.url, line.text),)
                if line.url
                else (line.text,)
                for line in entry.changes.lines
            ),
        )
        return {"content": format_html("<ul>{}</ul>", lines)}


class TrackChangesFeed(SiteChangesFeed):
    def get_object(self, request: HttpRequest, *args, **kwargs) -> Scope:
        track = catalog.track_get(slug=kwargs["track"])  # TrackNotFound is an Http404
        return Scope(base=request.build_absolute_uri("/").rstrip("/"), track=track)

    def title(self, scope: Scope) -> str:
        return f"Roadmap: what changed in {scope.track.name}"

    def subtitle(self, scope: Scope) -> str:
        name = scope.track.name
        return f"Every content update that added, changed or retired something in {name}."

    def link(self, scope: Scope) -> str:
        return reverse("track", args=[scope.track.slug])

    def feed_url(self, scope: Scope) -> str:
        return reverse("changes:track_feed", args=[scope.track.slug])
