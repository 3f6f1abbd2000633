"""Build the search index from what the site shows, using the catalogue's own selectors so that
search never finds a thing the pages hide.

Each entry links to the exact place it appears: an item to `#item-<id>` on its level, a course
or a reading to its entry on the catalogue page, a guide or article section to its heading.
"""

import re
from collections.abc import Iterator
from html import unescape

from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse
from django.utils.html import strip_tags

from roadmap.catalog import selectors as catalog
from roadmap.catalog.models import ItemKind, SearchSynonym, Stage, StageItem
from roadmap.content.kinds import KINDS
from roadmap.ops.content_version import content_version_bump

from .models import DOCUMENT, Kind, SearchEntry

ITEM_KINDS = {
    ItemKind.SKILL: Kind.SKILL,
    ItemKind.READY_WHEN: Kind.READY_WHEN,
    ItemKind.PROJECT: Kind.PROJECT,
    ItemKind.MISTAKE: Kind.MISTAKE,
    ItemKind.EXPECTATION: Kind.EXPECTATION,
}
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)


def search_index_rebuild() -> int:
    """Replace the whole index with entries for everything visible now; returns their number."""
    entries = _with_terms(_entries())
    for position, entry in enumerate(entries):
        entry.position = position
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        if connection.vendor == "postgresql":
            SearchEntry.objects.update(document=DOCUMENT)
    return len(entries)


def search_index_stale() -> bool:
    """Whether the index differs from what a rebuild would write now (empty counts as stale)."""
    fields = ("kind", "title", "body", "context", "url", "terms")
    stored = list(SearchEntry.objects.order_by("position").values_list(*fields))
    fresh = [tuple(getattr(entry, name) for name in fields) for entry in _with_terms(_entries())]
    return not stored or stored != fresh


def search_index_schedule() -> None:
    """Rebuild once the current transaction commits, once however many rows it changed."""
    pending = getattr(connection, "run_on_commit", [])
    if not any(callback is search_index_rebuild_then_bump for _, callback, *_ in pending):
        transaction.on_commit(search_index_rebuild_then_bump)


def search_index_rebuild_then_bump() -> None:
    """After an admin save: rebuild, then bump the content version once more, so a search cached
    between the save's own bump and this rebuild (under the new version, from the old index)
    is retired. The loader instead rebuilds inside its transaction, before its bump."""
    search_index_rebuild()
    content_version_bump()


def _total_label(track) -> str:
    """The computed total (the timeline model), or the stated one when it cannot be computed."""
    return track.road.total.label if track.road else track.duration_label


def _with_terms(entries: Iterator[SearchEntry]) -> list[SearchEntry]:
    """The entries, each with the words learners type for the terms it uses (a search for
    `k8s` then finds what says Kubernetes, on any database, with no work per search). A term
    matches as a whole word or phrase, in any case, or with a plural ending."""
    synonyms = [
        (re.compile(rf"(?<!\w){re.escape(s.term.lower())}(?:e?s)?(?!\w)"), s.also)
        for s in SearchSynonym.objects.visible()
    ]
    entries = list(entries)
    for entry in entries:
        text = f"{entry.title} {entry.body}".lower()
        words = [word for term, also in synonyms if term.search(text) for word in also]
        entry.terms = " ".join(dict.fromkeys(words))
    return entries


def _entries() -> Iterator[SearchEntry]:
    tracks = catalog.track_list()
    stages = {stage.pk: stage for track in tracks for stage in track.visible_stages}
    for track in tracks:
        yield SearchEntry(
            kind=Kind.TRACK,
            title=track.name,
            body=_join(track.pitch, track.entry_note),
            context=f"Track · {_total_label(track)}",
            url=reverse("track", args=[track.slug]),
        )
        for stage in track.visible_stages:
            stage.track = track
            yield SearchEntry(
                kind=Kind.STAGE,
                title=f"{track.name} · {stage.level.name}",
                body=_join(stage.summary, stage.level.meaning),
                context=f"Level · {stage.duration_label}",
                url=_level_url(stage),
            )
    kinds = list(ITEM_KINDS)

    def in_catalogue_order(item: StageItem) -> tuple:
        stage = stages[item.stage_id]
        return kinds.index(item.kind), stage.track.order, stage.level.order, item.order

    items = StageItem.objects.visible().filter(stage_id__in=stages)
    for item in sorted(items, key=in_catalogue_order):
        stage = stages[item.stage_id]
        yield SearchEntry(
            kind=ITEM_KINDS[item.kind],
            title=item.text,
            body=item.teaches,
            context=f"{stage.track.name} · {stage.level.name} · {item.get_kind_display()}",
            url=f"{_level_url(stage)}#item-{item.content_id}",
        )
    # Courses, reading, articles, guides: every content kind the registry marks as searchable.
    for content_kind in KINDS.values():
        spec = content_kind.search
        if spec is None:
            continue
        if spec.selector:  # a catalogue list: each row links to its entry on the list page
            rows = getattr(catalog, spec.selector)()
            yield from _catalogue_entries(
                spec.search_kind, spec.label, rows, spec.url_name, spec.anchor
            )
        else:  # a page per row, and an entry per section of it
            for doc in apps.get_model(content_kind.model).objects.visible():
                yield from _document_entries(spec.search_kind, doc, spec.url_name, spec.label)
    home = reverse("home")
    for mistake in catalog.common_mistake_list():
        yield SearchEntry(
            kind=Kind.MISTAKE,
            title=mistake.title,
            body=_text(mistake.body_html),
            context="Mistakes everyone makes",
            url=f"{home}#mistake-{mistake.slug}",
        )


def _catalogue_entries(
    kind: str, label: str, rows: list, page: str, anchor: str
) -> Iterator[SearchEntry]:
    """Courses or reading: each links to its entry on the catalogue page, which lists the levels
    that recommend it; the context names the first of them."""
    for row in rows:
        levels = [
            f"{link.stage.track.name} · {link.stage.level.name}" for link in row.visible_links
        ]
        by = getattr(row, "provider", "") or getattr(row, "author", "")
        context = f"{label} · {by}" if by else label
        if levels:
            more = f" and {len(levels) - 1} more" if len(levels) > 1 else ""
            context += f" · for {levels[0]}{more}"
        yield SearchEntry(
            kind=kind,
            title=row.title,
            body=_join(by, row.summary),
            context=context,
            url=f"{reverse(page)}#{anchor}-{row.slug}",
        )


def _document_entries(kind: str, doc, url_name: str, label: str) -> Iterator[SearchEntry]:
    """An article or a guide, then one entry per second-level section, linked to its heading."""
    url = reverse(url_name, args=[doc.slug])
    parts = _H2.split(doc.body_html)
    yield SearchEntry(
        kind=kind, title=doc.title, body=_join(doc.summary, _text(parts[0])), context=label, url=url
    )
    for anchor, heading, html in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        yield SearchEntry(
            kind=kind,
            title=_text(heading),
            body=_text(html),
            context=f"{label} · {doc.title}",
            url=f"{url}#{anchor}",
        )


def _level_url(stage: Stage) -> str:
    return reverse("level", args=[stage.track.slug, stage.level.slug])


def _text(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def _join(*texts: str) -> str:
    return " ".join(text for text in texts if text)
