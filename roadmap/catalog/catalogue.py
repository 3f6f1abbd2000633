"""The catalogue as every visitor sees it, kept in this process per content version.

Tracks with their levels, the site texts, starting points, common mistakes, level panels and the
catalogue lists are the same for everyone until content changes, so pages read them from here
rather than asking the database on every request. The content version says when they change: a
content load or an admin save bumps it (roadmap/ops/content_version.py), and the first request
that sees the new version starts an empty snapshot, filled again as pages ask.

Only data is kept, never rendered HTML (the page cache stores pages). Everything a snapshot
returns is shared by every request of this process: callers read it and never change it.
Changes that bypass the ORM's signals (`QuerySet.update()` in a shell) bump no version and show
after the next bump; `catalogue_forget()` drops the snapshot by hand (tests do, between tests).
"""

from collections.abc import Callable
from typing import TypeVar

from roadmap.ops.content_version import content_version_get

from . import selectors
from .chart import chart_get
from .entries import article_entry, course_entry, reading_entry
from .models import CommonMistake, Guide, Level, SiteText, Stage, StartingPoint, Track

T = TypeVar("T")


class Catalogue:
    """One content version's catalogue, each part read from the database when first asked."""

    def __init__(self, token: str):
        self.token = token
        self._parts: dict[tuple, object] = {}

    def _part(self, key: tuple, read: Callable[[], T]) -> T:
        try:
            return self._parts[key]
        except KeyError:
            # Two threads may both read a missing part; either answer is the same data.
            value = self._parts[key] = read()
            return value

    def kept(self, key: tuple, read: Callable[[], T]) -> T:
        """Data another app derives from the catalogue, the same for everyone at this version
        (progress keeps the tickable items by track here): `read()` once, then kept."""
        return self._part(("kept", *key), read)

    # --- what every page shows -------------------------------------------------------------

    def site_text(self) -> SiteText | None:
        """The site texts, with `start_questions` (how many questions /start/ asks)."""
        return self._part(("site",), lambda: selectors.site_text_get(with_question_count=True))

    def tracks(self) -> list[Track]:
        """Every visible track with `visible_stages`, each track's `road` already computed."""

        def read() -> list[Track]:
            tracks = selectors.track_list()
            for track in tracks:
                track.road  # noqa: B018 - a cached_property: computed once, not per request
            return tracks

        return self._part(("tracks",), read)

    def track(self, slug: str) -> Track:
        """A visible track by slug (TrackNotFound if none)."""
        return selectors.track_get(slug=slug, tracks=self.tracks())

    def chart(self) -> dict:
        """The timelines chart of `tracks()`, laid out (roadmap/catalog/chart.py)."""
        return self._part(("chart",), lambda: chart_get(self.tracks()))

    def levels(self) -> list[Level]:
        return self._part(("levels",), lambda: list(selectors.level_list()))

    def starting_points(self) -> list[StartingPoint]:
        return self._part(("starting points",), selectors.starting_point_list)

    def common_mistakes(self) -> list[CommonMistake]:
        return self._part(("mistakes",), lambda: list(selectors.common_mistake_list()))

    def level_detail(self, stage: Stage, track: Track | None = None) -> selectors.LevelDetail:
        """A level's panel; with its `track`, the levels before and after it too."""
        key = ("level", stage.pk, track.pk if track is not None else None)
        return self._part(key, lambda: selectors.level_detail_get(stage=stage, track=track))

    # --- catalogue pages -------------------------------------------------------------------

    def courses(self, **filters: str) -> list[dict]:
        """The courses for these (valid) filters, as /courses/ lists them (entries.py)."""
        key = ("courses", *sorted(filters.items()))
        return self._part(key, lambda: [course_entry(c) for c in selectors.course_list(**filters)])

    def reading(self, **filters: str) -> tuple[list[dict], list[dict]]:
        """Our articles and the external reading for these (valid) filters, as /reading/ lists
        them (entries.py)."""

        def read():
            articles = [article_entry(a) for a in selectors.article_list(**filters)]
            return articles, [reading_entry(r) for r in selectors.reading_list(**filters)]

        return self._part(("reading", *sorted(filters.items())), read)

    def search_synonyms(self) -> list[tuple[str, frozenset[str]]]:
        """Each synonym's term and the words learners type for it (search_synonyms.yaml)."""
        return self._part(("synonyms",), selectors.search_synonym_list)

    def guides(self) -> list[Guide]:
        return self._part(("guides",), lambda: list(selectors.guide_list()))

    def guide(self, slug: str) -> tuple[Guide, list[selectors.TocEntry]]:
        """A visible guide with its table of contents (Http404 if none)."""

        def read():
            guide = selectors.guide_get(slug=slug)
            return guide, selectors.guide_toc(guide=guide)

        return self._part(("guide", slug), read)


_current: Catalogue | None = None


def catalogue_get() -> Catalogue:
    """The snapshot of the current content version (one version read, usually no query)."""
    global _current
    token = content_version_get().token
    current = _current
    if current is None or current.token != token:
        current = _current = Catalogue(token)
    return current


def catalogue_forget() -> None:
    """Drop the snapshot: the next request reads the catalogue afresh."""
    global _current
    _current = None
