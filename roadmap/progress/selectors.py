"""Reads of a learner's progress. Each selector owns its queries; a visitor without progress
(no learner id in the session) costs no query beyond the catalogue's own.

Only visible items count: an item that is retired, unpublished, or on a hidden stage, level or
track keeps its ticks in the database but is left out of every count and list.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from roadmap.catalog.models import Guide, ItemKind, Stage, StageItem, Track
from roadmap.changes.words import ChangeLine

from . import visits
from .models import Note, Tick

SESSION_KEY = "progress_learner"
TICKABLE = (ItemKind.READY_WHEN, ItemKind.PROJECT)


def learner_id_get(*, session: SessionBase) -> uuid.UUID | None:
    """The learner this session belongs to, if it has ever saved anything. No query."""
    value = session.get(SESSION_KEY)
    try:
        return uuid.UUID(value) if value else None
    except (TypeError, ValueError):
        return None


# --- visibility ----------------------------------------------------------------------------


def _visible_stage_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}retired": False,
            f"{prefix}published": True,
            f"{prefix}track__retired": False,
            f"{prefix}track__published": True,
            f"{prefix}level__retired": False,
            f"{prefix}level__published": True,
        }
    )


def _tickable_items() -> QuerySet[StageItem]:
    """Visible criteria and projects on visible stages."""
    return StageItem.objects.visible().filter(_visible_stage_q("stage__"), kind__in=TICKABLE)


def tickable_item_get(*, item_id: str) -> StageItem:
    """A criterion or project that can be ticked now, with its stage, track and level."""
    item = (
        _tickable_items()
        .filter(content_id=item_id)
        .select_related("stage__track", "stage__level")
        .first()
    )
    if item is None:
        raise Http404(f"No criterion or project {item_id!r}")
    return item


def stage_get(*, stage_id: str) -> Stage:
    """A visible stage by its content id, with its track and level (for notes)."""
    stage = (
        Stage.objects.filter(_visible_stage_q(), content_id=stage_id)
        .select_related("track", "level")
        .first()
    )
    if stage is None:
        raise Http404(f"No level {stage_id!r}")
    return stage


def guide_find(*, slug: str) -> Guide | None:
    """A visible guide by slug, or None (a page that links to it leaves the link out)."""
    return Guide.objects.visible().filter(slug=slug).only("slug", "title").first()


# --- counts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelProgress:
    """How far a learner is through one level: criteria ("ready") and projects, ticked of all."""

    stage_id: str  # the stage's content id
    ready_done: int = 0
    ready_total: int = 0
    projects_done: int = 0
    projects_total: int = 0

    @property
    def done(self) -> int:
        return self.ready_done + self.projects_done

    @property
    def complete(self) -> bool:
        return self.ready_total > 0 and self.ready_done == self.ready_total


def level_progress_list(*, track: Track, learner_id: uuid.UUID | None) -> dict[str, LevelProgress]:
    """Per-level counts for every visible level of `track`, keyed by the stage's content id.

    One query whatever the number of levels: totals and ticked counts come from one GROUP BY over
    the visible items, the ticked ones found with an EXISTS on the learner's ticks.
    """
    return _level_progress(_tickable_items().filter(stage__track=track), learner_id)


def level_progress_get(*, stage: Stage, learner_id: uuid.UUID | None) -> LevelProgress:
    """The counts of one level, in one query."""
    found = _level_progress(_tickable_items().filter(stage=stage), learner_id)
    return found.get(stage.content_id, LevelProgress(stage_id=stage.content_id))


def _level_progress(
    items: QuerySet[StageItem], learner_id: uuid.UUID | None
) -> dict[str, LevelProgress]:
    ready, project = Q(kind=ItemKind.READY_WHEN), Q(kind=ItemKind.PROJECT)
    counts = {
        "ready_total": Count("pk", filter=ready),
        "projects_total": Count("pk", filter=project),
    }
    if learner_id is not None:
        ticked = Q(
            Exists(Tick.objects.filter(learner_id=learner_id, item_id=OuterRef("content_id")))
        )
        counts["ready_done"] = Count("pk", filter=ready & ticked)
        counts["projects_done"] = Count("pk", filter=project & ticked)
    rows = items.order_by().values("stage__content_id").annotate(**counts)
    return {
        row["stage__content_id"]: LevelProgress(
            stage_id=row["stage__content_id"],
            ready_done=row.get("ready_done", 0),
            ready_total=row["ready_total"],
            projects_done=row.get("projects_done", 0),
            projects_total=row["projects_total"],
        )
        for row in rows
    }


# --- one level ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelState:
    """What a level panel needs to draw the learner's ticks and note."""

    ticked: frozenset[str]  # content ids of the level's ticked items
    note: str


def level_state_get(*, stage: Stage, learner_id: uuid.UUID | None) -> LevelState:
    """The learner's ticks and their note for one level: two queries, none without a learner."""
    if learner_id is None:
        return LevelState(ticked=frozenset(), note="")
    return LevelState(
        ticked=tick_ids_get(learner_id=learner_id, stage=stage),
        note=note_text_get(learner_id=learner_id, stage_id=stage.content_id),
    )


def tick_ids_get(*, learner_id: uuid.UUID | None, stage: Stage | None = None) -> frozenset[str]:
    """The ids of the items the learner ticked, on one stage or anywhere."""
    if learner_id is None:
        return frozenset()
    ticks = Tick.objects.filter(learner_id=learner_id)
    if stage is not None:
        ticks = ticks.filter(item_id__in=stage.items.values("content_id"))
    return frozenset(ticks.values_list("item_id", flat=True))


def note_text_get(*, learner_id: uuid.UUID | None, stage_id: str) -> str:
    if learner_id is None:
        return ""
    note = Note.objects.filter(learner_id=learner_id, stage_id=stage_id).first()
    return note.text if note else ""


@dataclass(frozen=True)
class PageProgress:
    """A learner's progress as a track page draws it: per-level counts (for the level tabs), and
    the ticks and note of the level on show."""

    levels: dict[str, LevelProgress] = field(default_factory=dict)  # by the stage's content id
    ticked: frozenset[str] = frozenset()
    note: str = ""
    personal: bool = False  # the visitor has progress: the page is theirs, not for shared caches
    # "Since your last visit" on a track page: what content loads changed there (visits.py)
    since_last_visit: list[ChangeLine] = field(default_factory=list)

    def count(self, stage: Stage) -> LevelProgress:
        return self.levels.get(stage.content_id) or LevelProgress(stage_id=stage.content_id)


def page_progress_get(
    *, request: HttpRequest, track: Track | None = None, stage: Stage | None = None
) -> PageProgress:
    """Everything a track page (`track`, for the level tabs) or a level panel (`stage`) shows of
    the visitor's progress.

    A visitor without a session cookie has no progress: the session is not even looked at, so
    the page gets no `Vary: Cookie` and stays one page for everyone, cacheable. Otherwise one
    query for the counts and two for the level's ticks and note.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return PageProgress()
    learner_id = learner_id_get(session=request.session)
    if learner_id is None:
        return PageProgress()
    levels = level_progress_list(track=track, learner_id=learner_id) if track else {}
    state = level_state_get(stage=stage, learner_id=learner_id) if stage else None
    news = []
    if track is not None:  # a whole track page (or home), not a level tab's panel
        now = timezone.now()
        since = visits.news_since_get(session=request.session, learner_id=learner_id, now=now)
        if since is not None:
            news = visits.changes_since_last_visit(learner_id=learner_id, track=track, since=since)
    return PageProgress(
        levels=levels,
        ticked=state.ticked if state else frozenset(),
        note=state.note if state else "",
        personal=True,
        since_last_visit=news,
    )


# --- everything ------------------------------------------------------------------------------


@dataclass
class LevelOverview:
    stage: Stage
    progress: LevelProgress
    ticked: list[StageItem] = field(default_factory=list)
    open: list[StageItem] = field(default_factory=list)  # not ticked yet
    note: str = ""
    # Both in the level page's order, each with whether it is ticked (the dashboard's lists).
    criteria: list[tuple[StageItem, bool]] = field(default_factory=list)
    projects: list[tuple[StageItem, bool]] = field(default_factory=list)
    last_change: datetime | None = None  # the learner's latest tick or note here


@dataclass
class TrackOverview:
    track: Track
    levels: list[LevelOverview]


@dataclass(frozen=True)
class ProgressOverview:
    tracks: list[TrackOverview]
    hidden_ticks: int  # ticks on items that are retired or hidden: kept, not counted
    ticked_at: dict[str, datetime] = field(default_factory=dict)
    current: LevelOverview | None = None  # where the learner ticked or wrote last

    @property
    def empty(self) -> bool:
        return not self.tracks

    @property
    def note_count(self) -> int:
        return sum(1 for track in self.tracks for level in track.levels if level.note)

    @property
    def tick_count(self) -> int:
        return sum(len(level.ticked) for track in self.tracks for level in track.levels)


def progress_overview_get(*, learner_id: uuid.UUID | None) -> ProgressOverview:
    """Every track and level the learner touched (a tick or a note), in the catalogue's order,
    each level's criteria and projects in the order its page shows them.

    Three queries: the ticks, the notes, and every visible criterion and project of the levels
    those touch, with their stage, track and level.
    """
    if learner_id is None:
        return ProgressOverview(tracks=[], hidden_ticks=0)
    ticks = dict(Tick.objects.filter(learner_id=learner_id).values_list("item_id", "ticked_at"))
    notes = {
        stage_id: (text, updated_at)
        for stage_id, text, updated_at in Note.objects.filter(learner_id=learner_id).values_list(
            "stage_id", "text", "updated_at"
        )
    }
    ticked_stages = StageItem.objects.filter(content_id__in=ticks).values("stage")
    items = (
        _tickable_items()
        .filter(Q(stage__in=ticked_stages) | Q(stage__content_id__in=notes))
        .select_related("stage__track", "stage__level")
        .order_by(
            "stage__track__order", "stage__track_id", "stage__level__order", "kind", "order", "pk"
        )
    )
    levels: dict[int, LevelOverview] = {}
    for item in items:
        level = levels.get(item.stage_id)
        if level is None:
            text, noted_at = notes.get(item.stage.content_id, ("", None))
            level = levels[item.stage_id] = LevelOverview(
                stage=item.stage,
                progress=LevelProgress(stage_id=item.stage.content_id),
                note=text,
                last_change=noted_at,
            )
        ticked_at = ticks.get(item.content_id)
        (level.ticked if ticked_at else level.open).append(item)
        listed = level.criteria if item.kind == ItemKind.READY_WHEN else level.projects
        listed.append((item, ticked_at is not None))
        if ticked_at and (level.last_change is None or ticked_at > level.last_change):
            level.last_change = ticked_at
    tracks: dict[int, TrackOverview] = {}
    for level in levels.values():
        level.progress = _count(level)
        if level.ticked or level.note:
            stage = level.stage
            tracks.setdefault(stage.track_id, TrackOverview(stage.track, [])).levels.append(level)
    shown = sum(len(level.ticked) for level in levels.values())
    touched = [level for track in tracks.values() for level in track.levels if level.last_change]
    return ProgressOverview(
        tracks=list(tracks.values()),
        hidden_ticks=len(ticks) - shown,
        ticked_at=ticks,
        current=max(touched, key=lambda level: level.last_change, default=None),
    )


def _count(level: LevelOverview) -> LevelProgress:
    def number(items: list[StageItem], kind: str) -> int:
        return sum(1 for item in items if item.kind == kind)

    return LevelProgress(
        stage_id=level.stage.content_id,
        ready_done=number(level.ticked, ItemKind.READY_WHEN),
        ready_total=number(level.ticked + level.open, ItemKind.READY_WHEN),
        projects_done=number(level.ticked, ItemKind.PROJECT),
        projects_total=number(level.ticked + level.open, ItemKind.PROJECT),
    )


# --- export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedTick:
    item_id: str
    ticked_at: datetime
    item: StageItem | None  # None when the id matches no item at all


@dataclass(frozen=True)
class ExportedNote:
    stage_id: str
    text: str
    updated_at: datetime
    stage: Stage | None


@dataclass(frozen=True)
class ProgressExport:
    ticks: list[ExportedTick]
    notes: list[ExportedNote]


def progress_export_get(*, learner_id: uuid.UUID | None) -> ProgressExport:
    """Every tick and note, hidden ones included, with what they point at: at most four queries."""
    if learner_id is None:
        return ProgressExport(ticks=[], notes=[])
    ticks = list(Tick.objects.filter(learner_id=learner_id).order_by("ticked_at", "item_id"))
    notes = list(Note.objects.filter(learner_id=learner_id).order_by("stage_id"))
    items = StageItem.objects.filter(content_id__in=[t.item_id for t in ticks])
    items = {i.content_id: i for i in items.select_related("stage__track", "stage__level")}
    stages = Stage.objects.filter(content_id__in=[n.stage_id for n in notes])
    stages = {s.content_id: s for s in stages.select_related("track", "level")}
    return ProgressExport(
        ticks=[ExportedTick(t.item_id, t.ticked_at, items.get(t.item_id)) for t in ticks],
        notes=[
            ExportedNote(n.stage_id, n.text, n.updated_at, stages.get(n.stage_id)) for n in notes
        ],
    )


def tick_learner_count(*, item_ids: Iterable[str]) -> int:
    """How many learners ticked at least one of these items (for a load's dry-run plan)."""
    ticks = Tick.objects.filter(item_id__in=list(item_ids))
    return ticks.values("learner_id").distinct().count()


def tick_learner_count_for_plan(plan, **kwargs) -> None:
    """Receiver of `content_load_planned`: how many learners ticked items the load retires."""
    plan.learners_affected = tick_learner_count(item_ids=plan.retired_ids.get("stage item", []))
