"""Reads for /plan/: the checked query, the levels ahead with their work, the learner's ticks
and remembered pace, put together as one `Plan` the page and the downloads draw.

About eight queries whatever the amount of content: the tracks and their levels (two), the
levels for the form, the ahead levels' criteria and projects, their start-here courses and
reading, and for a learner their ticks and pace.
"""

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, QueryDict
from django.urls import reverse

from roadmap.catalog import selectors as catalog
from roadmap.catalog.models import (
    ItemKind,
    Level,
    ResourceLabel,
    Stage,
    StageCourse,
    StageItem,
    StageReading,
    Track,
)
from roadmap.progress.models import Learner
from roadmap.progress.selectors import TICKABLE, learner_id_get, tick_ids_get

from .estimate import LevelWork, PaceRow, Range, StartResource, pace_rows
from .query import HOURS_RULE, PlanQuery, plan_query_parse
from .week import WeekPlan, week_plan_build

LAST_LEVEL = "senior"  # the calculator looks ahead up to this level's slug


@dataclass(frozen=True)
class Plan:
    query: PlanQuery
    tracks: list[Track]
    levels: list[Level]
    today: date
    track: Track | None = None
    stage: Stage | None = None  # the level chosen (or where the track starts)
    hours: int | None = None  # asked for, or remembered
    remembered: int | None = None
    learner: bool = False  # the visitor has progress: the plan is theirs
    ticked: int = 0  # how many of the plan's items they ticked
    problems: list[str] = field(default_factory=list)
    rows: list[PaceRow] = field(default_factory=list)
    week: WeekPlan | None = None

    @property
    def extras_ahead(self) -> list:
        """The timeline's parts that are not study (a job search, time in a job) from the chosen
        level on: the plan's dates count study only, so the page names these beside them."""
        road = self.track.road if self.track else None
        if road is None or self.stage is None:
            return []
        parts = list(road.parts)
        level = self.stage.level.slug
        start = next((n for n, p in enumerate(parts) if p.is_study and p.level_slug == level), None)
        if start is None:  # a level past the title the road leads to: nothing of it is ahead
            return []
        return [part for part in parts[start:] if not part.is_study]

    @property
    def level_slug(self) -> str:
        return self.stage.level.slug if self.stage else self.query.level

    @property
    def query_string(self) -> str:
        """This plan's address query, as the form would send it (for links and downloads)."""
        values = {"track": self.track.slug if self.track else "", "level": self.level_slug}
        values["hours"] = self.hours or ""
        return urlencode({name: value for name, value in values.items() if value})


def learner_id_for(request: HttpRequest) -> uuid.UUID | None:
    """The visitor's learner, if any; without a session cookie the session is not even read, so
    a visitor who only looks gets no session and no `Vary: Cookie`."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    return learner_id_get(session=request.session)


def learner_hours_get(*, learner_id: uuid.UUID | None) -> int | None:
    if learner_id is None:
        return None
    rows = Learner.objects.filter(pk=learner_id).values_list("hours_per_week", flat=True)
    return rows.first()


def plan_get(*, params: QueryDict, learner_id: uuid.UUID | None, today: date) -> Plan:
    query = plan_query_parse(params)
    tracks, levels = catalog.track_list(), list(catalog.level_list())
    remembered = learner_hours_get(learner_id=learner_id)
    problems = list(query.problems)
    hours = query.hours
    if hours is None and "hours" not in query.invalid:
        hours = remembered  # a missing value falls back on the remembered pace
        if hours is None and query.asked:
            problems.append(f"How many hours a week do you have? Give {HOURS_RULE}.")
    track = catalog.track_get(slug=query.track, tracks=tracks) if query.track else None
    if track is None and query.asked and "track" not in query.invalid:
        problems.append("Choose a track.")
    stage = _stage_pick(track, query.level, levels, problems) if track else None
    plan = Plan(
        query=query,
        tracks=tracks,
        levels=levels,
        today=today,
        track=track,
        stage=stage,
        hours=hours,
        remembered=remembered,
        learner=learner_id is not None,
        problems=problems,
    )
    if problems or stage is None or hours is None:
        return plan
    works = level_works_get(stages=_ahead(track, stage))
    ticked = tick_ids_get(learner_id=learner_id)
    return replace(
        plan,
        rows=pace_rows(works, ticked=ticked, hours_per_week=hours, today=today),
        week=week_plan_build(works, ticked=ticked, hours_per_week=hours, today=today),
        ticked=sum(len(work.items) - len(work.open_items(ticked)) for work in works),
    )


def _stage_pick(
    track: Track, level_slug: str, levels: list[Level], problems: list[str]
) -> Stage | None:
    stages = track.visible_stages
    if not stages:
        problems.append(f"{track.name} has no levels to plan with yet.")
        return None
    if not level_slug:
        return catalog.stage_pick(track=track)
    stage = next((s for s in stages if s.level.slug == level_slug), None)
    if stage is None:
        level = next((lv for lv in levels if lv.slug == level_slug), None)
        first = stages[0].level.name
        if level is None:
            problems.append(f"There is no level “{level_slug[:40]}”: choose one from the list.")
        else:
            problems.append(f"{track.name} has no {level.name} level: it starts at {first}.")
    return stage


def _ahead(track: Track, stage: Stage) -> list[Stage]:
    """The chosen level and those after it, up to and including Senior."""
    stages = track.visible_stages
    ahead = stages[stages.index(stage) :]
    last = next((n for n, s in enumerate(ahead) if s.level.slug == LAST_LEVEL), len(ahead) - 1)
    return ahead[: last + 1]


def level_works_get(*, stages: list[Stage]) -> list[LevelWork]:
    """Each stage's criteria and projects (criteria first, as on its page) and its start-here
    resources (courses first): three queries."""
    items: dict[int, list[StageItem]] = {stage.pk: [] for stage in stages}
    found = StageItem.objects.visible().filter(stage__in=stages, kind__in=TICKABLE)
    by_pk = {stage.pk: stage for stage in stages}
    for item in sorted(found, key=lambda i: (i.kind != ItemKind.READY_WHEN, i.order)):
        item.stage = by_pk[item.stage_id]  # its link needs the stage's track and level: no query
        items[item.stage_id].append(item)
    resources: dict[int, list[StartResource]] = {stage.pk: [] for stage in stages}
    courses = StageCourse.objects.filter(
        stage__in=stages,
        label=ResourceLabel.START_HERE,
        course__retired=False,
        course__published=True,
    ).select_related("course")
    for link in courses:
        resources[link.stage_id].append(_resource(link.course, link.course.url))
    reading = (
        StageReading.objects.filter(stage__in=stages, label=ResourceLabel.START_HERE)
        .filter(
            Q(reading__retired=False, reading__published=True)
            | Q(article__retired=False, article__published=True)
        )
        .select_related("reading", "article")
    )
    for link in reading:
        if link.article is not None:
            url = reverse("article", args=[link.article.slug])
            resources[link.stage_id].append(StartResource(link.article.title, url, None))
        else:
            resources[link.stage_id].append(_resource(link.reading, link.reading.url))
    return [LevelWork(stage, items[stage.pk], resources[stage.pk]) for stage in stages]


def _resource(entry, url: str) -> StartResource:
    effort = Range(float(entry.effort_min), float(entry.effort_max))
    return StartResource(title=entry.title, url=url, effort=effort)
