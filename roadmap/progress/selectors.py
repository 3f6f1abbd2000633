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
from django.utils import timezone

from roadmap.catalog.catalogue import catalogue_get
from roadmap.catalog.models import Guide, ItemKind, Stage, StageItem, Track
from roadmap.catalog.selectors import stage_pick, transitions_guide_get
from roadmap.changes.words import ChangeLine
from roadmap.ops.page_cache import shared_render

from . import visits
from .bookkeeping import page_view_write
from .learner_state import LearnerState, learner_state_changed, learner_state_get
from .models import Learner, Note, Tick

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


def section_items_get(*, stage: Stage, item_ids: list[str]) -> list[StageItem] | None:
    """The criteria and projects of `stage` with these ids, or None if any id is not one of
    them (the whole section is then refused)."""
    if not item_ids or len(item_ids) > 500:
        return None
    items = list(_tickable_items().filter(stage=stage, content_id__in=item_ids))
    return items if len(items) == len(set(item_ids)) else None


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


def tick_ids_get(*, learner_id: uuid.UUID | None) -> frozenset[str]:
    """The ids of every item the learner ticked."""
    if learner_id is None:
        return frozenset()
    ticks = Tick.objects.filter(learner_id=learner_id)
    return frozenset(ticks.values_list("item_id", flat=True))


def note_text_get(*, learner_id: uuid.UUID | None, stage_id: str) -> str:
    if learner_id is None:
        return ""
    note = Note.objects.filter(learner_id=learner_id, stage_id=stage_id).first()
    return note.text if note else ""


@dataclass(frozen=True)
class Resume:
    """Where the learner left off: the level they last opened, ticked or wrote on (or, for
    progress from before that was recorded, the furthest level they ticked anything on)."""

    stage: Stage  # from the page's tracks, with its track and level
    progress: LevelProgress


@dataclass(frozen=True)
class PageProgress:
    """A learner's progress as a track page draws it: per-level counts (for the level tabs), the
    ticks and note of the level on show, where they left off, and which level the page opens."""

    levels: dict[str, LevelProgress] = field(default_factory=dict)  # by the stage's content id
    ticked: frozenset[str] = frozenset()
    note: str = ""
    personal: bool = False  # the visitor has progress: the page is theirs, not for shared caches
    own_level: bool = False  # the page opens the level of a learner (home, a track page)
    resume: Resume | None = None
    stage: Stage | None = None  # the level the page opens (the learner's own, if they have one)
    track: Track | None = None  # the track the page opens
    # Only once the open level's criteria are all ticked: the guide to making the jump.
    transitions_guide: Guide | None = None
    # "Since your last visit" on a track page: what content loads changed there (visits.py)
    since_last_visit: list[ChangeLine] = field(default_factory=list)

    def count(self, stage: Stage | str) -> LevelProgress:
        """The counts of a level (a stage or its content id); zeros when nothing is ticked."""
        stage_id = getattr(stage, "content_id", stage)
        return self.levels.get(stage_id) or LevelProgress(stage_id=stage_id)


def page_progress_get(
    *,
    request: HttpRequest,
    track: Track | None = None,
    stage: Stage | None = None,
    tracks: list[Track] | None = None,
    opened: bool = False,
) -> PageProgress:
    """Everything a page shows of the visitor's progress, and which track and level it opens.

    - A level URL passes its `stage` with `opened=True`: the level is recorded as the one the
      learner last opened (for learners only: a visitor who only reads gets no session);
    - a track page passes `track`: it opens the learner's level on it (where they left off if
      that is on this track, else the furthest level they ticked on it, else the entry level);
    - the home page passes `tracks` alone: it opens the track and level where they left off.
    `tracks` (each with `visible_stages`) lets "Continue" name a level of another track.

    A visitor without a session cookie has no progress: the session is not even looked at, so
    the page gets no `Vary: Cookie` and stays one page for everyone, cacheable. A learner costs
    one query at most (their ticks, notes and last level, which the process keeps while their
    session says nothing changed: learner_state.py; the items are the catalogue's, kept per
    content version), and a write when they open another level than the last one.

    While a shared page renders (roadmap/ops/page_cache.py) it answers as for a stranger, or, on
    home and track pages, as for any learner on the level the cache asks for (`opens`); the
    page's personal slots are filled in later from its answer for the actual visitor.
    """
    whole_page = track is not None or tracks is not None  # not a level tab's panel alone
    stage_given = stage
    shared = shared_render(request, track=track, stage=stage, tracks=tracks, opened=opened)
    learner_id = None
    if shared is None and settings.SESSION_COOKIE_NAME in request.COOKIES:
        learner_id = learner_id_get(session=request.session)
    if learner_id is None:
        if shared is not None:
            shared.varies = stage is None  # it opens each learner's own level: one page per level
            opens = _stage_among(shared.opens, [track] if track else tracks or [])
            if opens is not None:  # the page as it is for learners on that level (no one's data)
                return PageProgress(track=opens.track, stage=opens, own_level=True)
        track = track or (stage.track if stage else (tracks[0] if tracks else None))
        return PageProgress(track=track, stage=stage or _entry_stage(track))
    # The page's items come from this process's copy (the same for everyone); the learner's
    # ticks, notes and the level they were last on from one small query.
    shown_tracks = tracks or [track or stage.track]  # the tracks whose levels the page names
    rows = _item_rows([stage.track] if opened and stage is not None else shown_tracks)
    ticks, notes, recorded = learner_state_get(
        session=request.session, learner_id=learner_id, read=lambda: _learner_state(learner_id)
    )
    counts = _counts(rows, ticks)
    known = [s for t in shown_tracks for s in getattr(t, "visible_stages", [])]
    resume_stage = next((s for s in known if s.content_id == recorded), None)
    if resume_stage is None and not opened:  # from before levels were recorded: furthest ticked
        resume_stage = _furthest_ticked(known, counts, shown_tracks)
    if track is None and stage is None:  # the home page: the track where they left off
        track = resume_stage.track if resume_stage else (tracks[0] if tracks else None)
    track = track or stage.track
    if stage is None and track is not None:
        stage = _learners_stage(track, resume_stage, counts)
    if (
        opened
        and stage is not None
        and recorded != stage.content_id
        and page_view_write(
            lambda: Learner.objects.filter(pk=learner_id).update(last_stage_id=stage.content_id)
        )
    ):
        learner_state_changed(session=request.session)
    if opened:
        resume_stage = stage
    resume = None
    if resume_stage is not None:
        empty = LevelProgress(stage_id=resume_stage.content_id)
        resume = Resume(stage=resume_stage, progress=counts.get(resume_stage.content_id, empty))
    done = stage is not None and counts.get(stage.content_id, LevelProgress("")).complete
    news = []
    if whole_page and track is not None:
        now = timezone.now()
        since = visits.news_since_get(session=request.session, learner_id=learner_id, now=now)
        if since is not None:
            news = visits.changes_since_last_visit(
                session=request.session, learner_id=learner_id, track=track, since=since
            )
    return PageProgress(
        transitions_guide=transitions_guide_get() if done else None,
        levels=counts,  # this track's levels, and the level where they left off
        ticked=frozenset(i for i, stage_id, _ in rows if i in ticks and stage_id == _id(stage)),
        note=notes.get(_id(stage), ""),
        personal=True,
        own_level=stage_given is None,
        resume=resume,
        stage=stage,
        track=track,
        since_last_visit=news,
    )


def _stage_among(stage_id: str, tracks: list[Track]) -> Stage | None:
    if not stage_id:
        return None
    stages = (s for t in tracks for s in getattr(t, "visible_stages", []))
    return next((s for s in stages if s.content_id == stage_id), None)


def _item_rows(tracks: list[Track]) -> list[tuple[str, str, str]]:
    """(item id, stage id, kind) of every visible criterion and project of these tracks."""
    by_track = catalogue_get().kept(("tickable items",), _tickable_items_by_track)
    return [row for t in tracks for row in by_track.get(t.pk, ())]


def _tickable_items_by_track() -> dict[int, list[tuple[str, str, str]]]:
    found: dict[int, list[tuple[str, str, str]]] = {}
    rows = (
        _tickable_items()
        .order_by()
        .values_list("stage__track_id", "content_id", "stage__content_id", "kind")
    )
    for track_pk, *row in rows:
        found.setdefault(track_pk, []).append(tuple(row))
    return found


def _learner_state(learner_id: uuid.UUID) -> LearnerState:
    """All the learner's ticks, all their notes and the level they were last on, in one query.
    Plain SQL: every learner's page may run it, and building it with the ORM cost more than
    running it."""
    tick, note, learner = Tick._meta, Note._meta, Learner._meta
    q = connection.ops.quote_name
    sql = (
        f"SELECT 't', '', {q(tick.get_field('item_id').column)} FROM {q(tick.db_table)}"
        f" WHERE {q(tick.get_field('learner').column)} = %s UNION ALL"
        f" SELECT 'n', {q(note.get_field('stage_id').column)}, {q(note.get_field('text').column)}"
        f" FROM {q(note.db_table)} WHERE {q(note.get_field('learner').column)} = %s UNION ALL"
        f" SELECT 'l', '', {q(learner.get_field('last_stage_id').column)}"
        f" FROM {q(learner.db_table)} WHERE {q(learner.pk.column)} = %s"
    )
    key = learner.pk.get_db_prep_value(learner_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, key, key])
        rows = cursor.fetchall()
    return LearnerState(
        ticks=frozenset(value for kind, _, value in rows if kind == "t"),
        notes={stage_id: text for kind, stage_id, text in rows if kind == "n"},
        last=next((value for kind, _, value in rows if kind == "l"), "") or "",
    )


def _id(stage: Stage | None) -> str:
    return stage.content_id if stage is not None else ""


def _entry_stage(track: Track | None) -> Stage | None:
    return stage_pick(track=track) if track is not None else None


def _learners_stage(track: Track, resume: Stage | None, counts: dict) -> Stage | None:
    """The level a track page opens for a learner: where they left off, if it is on this track;
    else the furthest level they ticked something on; else the track's entry level."""
    if resume is not None and resume.track_id == track.pk:
        return resume
    ticked = [
        s for s in track.visible_stages if s.content_id in counts and counts[s.content_id].done
    ]
    return ticked[-1] if ticked else _entry_stage(track)


def _counts(rows: list[tuple[str, str, str]], ticks: frozenset[str]) -> dict[str, LevelProgress]:
    totals: dict[str, dict[str, int]] = {}
    for item_id, stage_id, kind in rows:
        level = totals.setdefault(stage_id, dict.fromkeys(_COUNT_FIELDS, 0))
        prefix = "ready" if kind == ItemKind.READY_WHEN else "projects"
        level[f"{prefix}_total"] += 1
        level[f"{prefix}_done"] += item_id in ticks
    return {key: LevelProgress(stage_id=key, **value) for key, value in totals.items()}


def _furthest_ticked(stages: list[Stage], counts: dict, tracks: list[Track]) -> Stage | None:
    """The highest level with a tick (the first track's, between equals)."""
    order = {t.pk: n for n, t in enumerate(tracks)}
    ticked = [s for s in stages if s.content_id in counts and counts[s.content_id].done]
    return max(ticked, key=lambda s: (s.level.order, -order.get(s.track_id, 0)), default=None)


_COUNT_FIELDS = ("ready_done", "ready_total", "projects_done", "projects_total")


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
