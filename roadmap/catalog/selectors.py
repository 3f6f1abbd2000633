"""Reads for the pages. Each selector owns its prefetching, so a page's queries live here.

Everything a selector returns is visible (not retired, published); templates never filter.
"""

import re
from dataclasses import dataclass, field
from html import unescape

from django.db.models import Exists, Func, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from .models import (
    AnswerOption,
    Article,
    CommonMistake,
    Course,
    Guide,
    ItemKind,
    Level,
    Question,
    Reading,
    SearchSynonym,
    SiteText,
    Stage,
    StageCourse,
    StageItem,
    StageReading,
    StartingPoint,
    Track,
    TrackRedirect,
)
from .resources import ResourceGroup, resource_groups


class TrackNotFound(Http404):
    """No visible track (or no visible level of a track) at this URL; the 404 page says which."""

    def __init__(self, *, slug: str, track: Track | None = None, level_slug: str = ""):
        self.slug = slug
        self.track = track
        self.level_slug = level_slug
        missing = f"level {level_slug!r} of track {slug!r}" if track else f"track {slug!r}"
        super().__init__(f"No {missing}")


@dataclass(frozen=True)
class ReadingEntry:
    """One line of a stage's reading list: an external text or one of our own articles."""

    title: str
    url: str
    summary: str
    author: str
    cost: str
    is_article: bool


@dataclass(frozen=True)
class LevelDetail:
    """One stage with every section of its level panel, in the order the panel shows them."""

    stage: Stage
    skills: list[StageItem]
    ready_when: list[StageItem]
    projects: list[StageItem]
    courses: list[Course]
    reading: list[ReadingEntry]
    mistakes: list[StageItem]
    expectations: list[StageItem]
    course_groups: list[ResourceGroup] = ()
    reading_groups: list[ResourceGroup] = ()
    previous: Stage | None = None  # the track's level before this one, and after it
    next: Stage | None = None
    # The page's JSON-LD graph by the site's address (structured_data.py), worked out once.
    json_ld: dict[str, dict] = field(default_factory=dict, compare=False, repr=False)


# --- visibility building blocks ------------------------------------------------------------


def _visible_levels_q(prefix: str = "level__") -> Q:
    return Q(**{f"{prefix}retired": False, f"{prefix}published": True})


def _visible_stages() -> QuerySet[Stage]:
    return (
        Stage.objects.visible()
        .filter(_visible_levels_q())
        .select_related("level", "source")
        .order_by("level__order")
    )


def _tracks_with_stages() -> QuerySet[Track]:
    return (
        Track.objects.visible()
        .select_related("entry_level")
        .prefetch_related(Prefetch("stages", queryset=_visible_stages(), to_attr="visible_stages"))
    )


# --- site-wide texts ---------------------------------------------------------------------


def site_text_get(*, with_question_count: bool = False) -> SiteText | None:
    """The site texts; `with_question_count` adds `start_questions`, how many questions /start/
    asks, in the same query (the home page names the number)."""
    texts = SiteText.objects.visible()
    if with_question_count:
        texts = texts.annotate(start_questions=Subquery(_start_question_count()))
    return texts.first()


def _start_question_count() -> QuerySet:
    """The number of questions with a visible answer (those /start/ asks), as a subquery."""
    answered = AnswerOption.objects.visible().filter(question=OuterRef("pk"))
    return (
        Question.objects.visible()
        .filter(Exists(answered))
        .order_by()
        .annotate(count=Func("pk", function="COUNT"))
        .values("count")
    )


def starting_point_list() -> list[StartingPoint]:
    """Starting points whose track and level can be shown (a hidden target hides the card)."""
    return list(
        StartingPoint.objects.visible()
        .filter(track__retired=False, track__published=True)
        .filter(_visible_levels_q())
        .select_related("track", "level")
    )


def common_mistake_list() -> QuerySet[CommonMistake]:
    return CommonMistake.objects.visible()


# --- tracks and levels ---------------------------------------------------------------------


def track_list() -> list[Track]:
    """Every visible track, each with `visible_stages` (its levels in order): two queries."""
    return list(_tracks_with_stages())


def track_names() -> QuerySet[Track]:
    """Visible tracks without their levels, for lists of links (one query)."""
    return Track.objects.visible().only("slug", "name", "order")


def track_get(*, slug: str, tracks: list[Track] | None = None) -> Track:
    """A visible track with `visible_stages`; looked up in `tracks` when the page has them."""
    if tracks is None:
        track = _tracks_with_stages().filter(slug=slug).first()
    else:
        track = next((t for t in tracks if t.slug == slug), None)
    if track is None:
        raise TrackNotFound(slug=slug)
    return track


def track_redirect_get(*, old_slug: str) -> Track | None:
    """The visible track that used to be called `old_slug`, if any."""
    moved = (
        TrackRedirect.objects.filter(old_slug=old_slug, track__retired=False, track__published=True)
        .select_related("track")
        .first()
    )
    return moved.track if moved else None


def stage_pick(*, track: Track, level_slug: str | None = None) -> Stage | None:
    """The stage a track page opens on: the named level, else the entry level, else the first."""
    stages = track.visible_stages
    if level_slug is not None:
        stage = next((s for s in stages if s.level.slug == level_slug), None)
        if stage is None:
            raise TrackNotFound(slug=track.slug, track=track, level_slug=level_slug)
        return stage
    entry = next((s for s in stages if s.level_id == track.entry_level_id), None)
    return entry or (stages[0] if stages else None)


def stage_get(*, track_slug: str, level_slug: str) -> Stage:
    """One visible stage with its track, level and source, for a level panel on its own."""
    stage = (
        Stage.objects.visible()
        .filter(_visible_levels_q(), track__retired=False, track__published=True)
        .filter(track__slug=track_slug, level__slug=level_slug)
        .select_related("track", "level", "source")
        .first()
    )
    if stage is None:
        raise TrackNotFound(slug=track_slug, level_slug=level_slug, track=None)
    return stage


def next_level_get(*, stage: Stage) -> Stage | None:
    """The visible level after `stage` on its track, with its level: one query."""
    return (
        _visible_stages()
        .filter(track_id=stage.track_id, level__order__gt=stage.level.order)
        .first()
    )


def level_detail_get(*, stage: Stage, track: Track | None = None) -> LevelDetail:
    """Every section of one stage's panel, in three queries whatever the amount of content;
    with its `track` (holding `visible_stages`), the levels before and after it too."""
    items = list(StageItem.objects.visible().filter(stage=stage).order_by("kind", "order"))
    by_kind: dict[str, list[StageItem]] = {kind: [] for kind in ItemKind.values}
    for item in items:
        by_kind[item.kind].append(item)
    course_links = list(
        StageCourse.objects.filter(
            stage=stage, course__retired=False, course__published=True
        ).select_related("course")
    )
    reading_links = list(
        StageReading.objects.filter(stage=stage)
        .filter(
            Q(reading__retired=False, reading__published=True)
            | Q(article__retired=False, article__published=True)
        )
        .select_related("reading", "article")
    )
    return LevelDetail(
        stage=stage,
        skills=by_kind[ItemKind.SKILL],
        ready_when=by_kind[ItemKind.READY_WHEN],
        projects=by_kind[ItemKind.PROJECT],
        courses=[link.course for link in course_links],
        reading=[_reading_entry(link) for link in reading_links],
        mistakes=by_kind[ItemKind.MISTAKE],
        expectations=by_kind[ItemKind.EXPECTATION],
        course_groups=resource_groups(course_links),
        reading_groups=resource_groups(reading_links),
        **_neighbours(stage, getattr(track, "visible_stages", [])),
    )


def _neighbours(stage: Stage, stages: list[Stage]) -> dict[str, Stage | None]:
    at = next((n for n, s in enumerate(stages) if s.pk == stage.pk), None)
    if at is None:
        return {}
    return {
        "previous": stages[at - 1] if at > 0 else None,
        "next": stages[at + 1] if at + 1 < len(stages) else None,
    }


def _reading_entry(link: StageReading) -> ReadingEntry:
    if link.article is not None:
        article = link.article
        return ReadingEntry(
            title=article.title,
            url=reverse("article", kwargs={"slug": article.slug}),
            summary=article.summary,
            author="",
            cost="free",
            is_article=True,
        )
    reading = link.reading
    return ReadingEntry(
        title=reading.title,
        url=reading.url,
        summary=reading.summary,
        author=reading.author,
        cost=reading.cost,
        is_article=False,
    )


# --- catalogue pages -----------------------------------------------------------------------


def _stage_links(accessor: str, model, *, track: str = "", level: str = "") -> Prefetch:
    """The visible stages (track and level) that recommend a course or a reading, in order."""
    links = (
        model.objects.filter(stage__retired=False, stage__published=True)
        .filter(stage__track__retired=False, stage__track__published=True)
        .filter(_visible_levels_q("stage__level__"))
        .select_related("stage__track", "stage__level")
        .order_by("stage__track__order", "stage__level__order")
    )
    if track:
        links = links.filter(stage__track__slug=track)
    if level:
        links = links.filter(stage__level__slug=level)
    return Prefetch(accessor, queryset=links, to_attr="visible_links")


def _recommended_in(entries: QuerySet, link: str, *, track: str, level: str) -> QuerySet:
    """Keep the entries that a visible stage of `track` and/or `level` recommends.

    One `filter()` call, so track and level must hold for the same stage.
    """
    if not (track or level):
        return entries
    conditions = {f"{link}__stage__retired": False, f"{link}__stage__published": True}
    if track:
        conditions[f"{link}__stage__track__slug"] = track
    if level:
        conditions[f"{link}__stage__level__slug"] = level
    return entries.filter(**conditions).distinct()


def course_list(
    *, track: str = "", level: str = "", kind: str = "", cost: str = ""
) -> list[Course]:
    """Visible courses, each with `visible_links` to the stages that recommend it.

    `track` and `level` keep the courses that a stage of that track and/or level recommends;
    `kind` is a ResourceKind value and `cost` is "free" or "paid". Empty means any.
    """
    courses = Course.objects.visible().prefetch_related(
        _stage_links("stagecourse_set", StageCourse, track=track, level=level)
    )
    courses = courses.filter(
        **{key: value for key, value in (("kind", kind), ("cost", cost)) if value}
    )
    return list(_recommended_in(courses, "stagecourse", track=track, level=level))


def reading_list(
    *, track: str = "", level: str = "", kind: str = "", cost: str = ""
) -> list[Reading]:
    """Visible external reading, each with `visible_links`; filtered like `course_list`."""
    reading = Reading.objects.visible().prefetch_related(
        _stage_links("stagereading_set", StageReading, track=track, level=level)
    )
    reading = reading.filter(
        **{key: value for key, value in (("kind", kind), ("cost", cost)) if value}
    )
    return list(_recommended_in(reading, "stagereading", track=track, level=level))


def article_list(
    *, track: str = "", level: str = "", kind: str = "", cost: str = ""
) -> QuerySet[Article]:
    """Our own articles (free, of kind "article"), filtered like `course_list`."""
    if kind not in ("", "article") or cost not in ("", "free"):
        return Article.objects.none()
    return _recommended_in(Article.objects.visible(), "stagereading", track=track, level=level)


def level_list() -> QuerySet[Level]:
    """The visible levels, in ladder order (for the catalogue filters)."""
    return Level.objects.visible()


def article_get(*, slug: str) -> Article:
    article = (
        Article.objects.visible()
        .filter(slug=slug)
        .prefetch_related(_stage_links("stagereading_set", StageReading))
        .first()
    )
    if article is None:
        raise Http404(f"No article {slug!r}")
    return article


def guide_list() -> QuerySet[Guide]:
    return Guide.objects.visible().defer("body", "body_html")


def transitions_guide_get() -> Guide | None:
    """The guide that site.yaml's `transitions_guide` names (how to make the jump to the next
    level), if it is visible: one query."""
    named = SiteText.objects.visible().values("transitions_guide")[:1]
    return guide_list().filter(slug=Subquery(named)).first()


def guide_get(*, slug: str) -> Guide:
    guide = Guide.objects.visible().filter(slug=slug).first()
    if guide is None:
        raise Http404(f"No guide {slug!r}")
    return guide


def search_synonym_list() -> list[tuple[str, frozenset[str]]]:
    """Each visible synonym's term and the words learners type for it (one query)."""
    synonyms = SearchSynonym.objects.visible().only("term", "also")
    return [(synonym.term, frozenset(synonym.also)) for synonym in synonyms]


# --- derived from stored HTML --------------------------------------------------------------

_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str


def guide_toc(*, guide: Guide) -> list[TocEntry]:
    """The guide's table of contents: its second-level headings, with the ids Markdown gave them.

    Reads `body_html`, which our own renderer wrote and sanitised at load time, so its heading
    markup has one known shape.
    """
    return [
        TocEntry(anchor=anchor, title=unescape(_TAG.sub("", title)).strip())
        for anchor, title in _H2.findall(guide.body_html)
    ]
