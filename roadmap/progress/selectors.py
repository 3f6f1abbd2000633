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
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from roadmap.catalog.models import ItemKind, Stage, StageItem, Track
from roadmap.ops.content_version import content_version_get
from roadmap.ops.page_cache import shared_render

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

    The track's items are the same for everyone: each process keeps them per content version
    (`_track_items`), so a learner's counts cost one small query for their ticks.
    """
    return _counts(track.pk, _learner_ticks(learner_id))


def _counts(track_pk: int, ticks: frozenset[str], version: str = "") -> dict[str, LevelProgress]:
    items, totals = _track_items(track_pk, version)
    done: dict[tuple[str, str], int] = {}
    for item_id in ticks:
        if item_id in items:
            done[items[item_id]] = done.get(items[item_id], 0) + 1
    return {
        stage_id: LevelProgress(
            stage_id=stage_id,
            ready_done=done.get((stage_id, ItemKind.READY_WHEN), 0),
            ready_total=ready,
            projects_done=done.get((stage_id, ItemKind.PROJECT), 0),
            projects_total=projects,
        )
        for stage_id, (ready, projects) in totals.items()
    }


# (track pk, content version) -> ({item id: (stage id, kind)}, {stage id: (ready, projects)})
_TRACK_ITEMS: dict[tuple[int, str], tuple[dict, dict]] = {}


def _track_items(track_pk: int, version: str = "") -> tuple[dict, dict]:
    key = (track_pk, version or content_version_get().token)
    found = _TRACK_ITEMS.get(key)
    if found is None:
        if len(_TRACK_ITEMS) > 256:  # old versions: start over
            _TRACK_ITEMS.clear()
        rows = _tickable_items().filter(stage__track_id=track_pk)
        items = {
            item_id: (stage_id, kind)
            for item_id, stage_id, kind in rows.values_list(
                "content_id", "stage__content_id", "kind"
            )
        }
        totals: dict[str, tuple[int, int]] = {}
        for stage_id, kind in items.values():
            ready, projects = totals.get(stage_id, (0, 0))
            is_ready = kind == ItemKind.READY_WHEN
            totals[stage_id] = (ready + is_ready, projects + (not is_ready))
        found = _TRACK_ITEMS[key] = (items, totals)
    return found


def _ticks_and_note(learner_id: uuid.UUID, stage_id: str) -> tuple[frozenset[str], str]:
    """All the learner's ticks and their note on one stage, in one query. Plain SQL: every
    learner's page runs it, and building it with the ORM cost more than running it."""
    tick, note = Tick._meta, Note._meta
    q = connection.ops.quote_name
    sql = (
        f"SELECT 't', {q(tick.get_field('item_id').column)} FROM {q(tick.db_table)}"
        f" WHERE {q(tick.get_field('learner').column)} = %s UNION ALL"
        f" SELECT 'n', {q(note.get_field('text').column)} FROM {q(note.db_table)}"
        f" WHERE {q(note.get_field('learner').column)} = %s"
        f" AND {q(note.get_field('stage_id').column)} = %s"
    )
    key = Tick._meta.get_field("learner").target_field.get_db_prep_value(learner_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, key, stage_id])
        rows = cursor.fetchall()
    text = next((value for kind, value in rows if kind == "n"), "")
    return frozenset(value for kind, value in rows if kind == "t"), text


def _learner_ticks(learner_id: uuid.UUID | None) -> frozenset[str]:
    if learner_id is None:
        return frozenset()
    return frozenset(Tick.objects.filter(learner_id=learner_id).values_list("item_id", flat=True))


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

    def count(self, stage: Stage) -> LevelProgress:
        return self.levels.get(stage.content_id) or LevelProgress(stage_id=stage.content_id)


def page_progress_get(
    *, request: HttpRequest, track: Track | None = None, stage: Stage | None = None
) -> PageProgress:
    """Everything a track page (`track`, for the level tabs) or a level panel (`stage`) shows of
    the visitor's progress.

    A visitor without a session cookie has no progress: the session is not even looked at, so
    the page gets no `Vary: Cookie` and stays one page for everyone, cacheable. Otherwise one
    query for the learner's ticks and one for the level's note (the items they count against
    are kept per content version, `_track_items`).

    While a shared page renders (roadmap/ops/page_cache.py) it answers as for a stranger; the
    page's personal slots are filled in later from its answer for the actual visitor.
    """
    if shared_render(request, track=track, stage=stage):
        return PageProgress()
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return PageProgress()
    learner_id = learner_id_get(session=request.session)
    if learner_id is None:
        return PageProgress()
    ticks, note = _ticks_and_note(learner_id, stage.content_id if stage else "")
    version = content_version_get().token
    if stage is not None:
        on_stage = _track_items(stage.track_id, version)[0]
        ticks_here = frozenset(t for t in ticks if on_stage.get(t, ("",))[0] == stage.content_id)
    return PageProgress(
        levels=_counts(track.pk, ticks, version) if track else {},
        ticked=ticks_here if stage else frozenset(),
        note=note,
        personal=True,
    )


# --- everything ------------------------------------------------------------------------------


@dataclass
class LevelOverview:
    stage: Stage
    progress: LevelProgress
    ticked: list[StageItem] = field(default_factory=list)
    open: list[StageItem] = field(default_factory=list)  # not ticked yet
    note: str = ""


@dataclass
class TrackOverview:
    track: Track
    levels: list[LevelOverview]


@dataclass(frozen=True)
class ProgressOverview:
    tracks: list[TrackOverview]
    hidden_ticks: int  # ticks on items that are retired or hidden: kept, not counted
    ticked_at: dict[str, datetime] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.tracks


def progress_overview_get(*, learner_id: uuid.UUID | None) -> ProgressOverview:
    """Every track and level the learner touched (a tick or a note), in the catalogue's order.

    Three queries: the ticks, the notes, and every visible criterion and project of the levels
    those touch, with their stage, track and level.
    """
    if learner_id is None:
        return ProgressOverview(tracks=[], hidden_ticks=0)
    ticks = dict(Tick.objects.filter(learner_id=learner_id).values_list("item_id", "ticked_at"))
    notes = dict(Note.objects.filter(learner_id=learner_id).values_list("stage_id", "text"))
    ticked_stages = StageItem.objects.filter(content_id__in=ticks).values("stage")
    items = (
        _tickable_items()
        .filter(Q(stage__in=ticked_stages) | Q(stage__content_id__in=notes))
        .select_related("stage__track", "stage__level")
        .order_by("stage__track__order", "stage__level__order", "kind", "order")
    )
    levels: dict[int, LevelOverview] = {}
    for item in items:
        level = levels.get(item.stage_id)
        if level is None:
            level = levels[item.stage_id] = LevelOverview(
                stage=item.stage,
                progress=LevelProgress(stage_id=item.stage.content_id),
                note=notes.get(item.stage.content_id, ""),
            )
        (level.ticked if item.content_id in ticks else level.open).append(item)
    tracks: dict[int, TrackOverview] = {}
    for level in levels.values():
        level.progress = _count(level)
        if level.ticked or level.note:
            stage = level.stage
            tracks.setdefault(stage.track_id, TrackOverview(stage.track, [])).levels.append(level)
    shown = sum(len(level.ticked) for level in levels.values())
    return ProgressOverview(
        tracks=list(tracks.values()), hidden_ticks=len(ticks) - shown, ticked_at=ticks
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
