"""The /start/ questionnaire: its questions, the answers so far, and the recommendation.

Answers travel in the query string (`?experience=none&enjoy=logic`), keyed by question slug, so
every step is a URL that works without JavaScript and nothing is stored. The recommendation:

- the track and the runner-up are chosen as roadmap/start/scoring.py says (points, and the
  tracks a goal answer is served by);
- the starting level is the highest level any chosen option implies, and at least the track's
  entry level;
- a learner below the track's entry level is told so, and pointed at the track it builds on, at
  their level, first;
- the reasons are the chosen answers' reasons *for that track* (an answer says why it counts
  for each track it gives points to), plus the reason of the answer that set the level; so a
  reason written for one track never appears under another.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import urlencode

from roadmap.catalog import selectors as catalog
from roadmap.catalog.models import AnswerOption, Level, Question, Stage, Track

from . import scoring


@dataclass(frozen=True)
class Step:
    """Where the learner is in the questionnaire."""

    questions: list[Question]  # each with `visible_options`
    answers: dict[str, AnswerOption]  # by question slug, valid answers only
    current: Question | None  # None once every question is answered

    @property
    def number(self) -> int:
        return self.questions.index(self.current) + 1 if self.current else len(self.questions)

    @property
    def previous(self) -> dict[str, str] | None:
        """The answers of the step before this one (None on the first question): all but the
        answer to the question just before this one."""
        index = self.questions.index(self.current) if self.current else len(self.questions)
        if index == 0:
            return None
        drop = self.questions[index - 1].slug
        return {slug: option.slug for slug, option in self.answers.items() if slug != drop}

    @property
    def previous_url(self) -> str:
        previous = self.previous
        if previous is None:
            return ""
        return f"{reverse('start')}?{urlencode(previous)}" if previous else reverse("start")

    @property
    def query(self) -> dict[str, str]:
        return {slug: option.slug for slug, option in self.answers.items()}


@dataclass(frozen=True)
class Reason:
    text: str
    answer: AnswerOption  # the learner's answer it comes from
    track: str  # the track slug it argues for; "" for the reason of the starting level


@dataclass(frozen=True)
class RunnerUp:
    track: Track
    stage: Stage | None
    reasons: list[Reason]

    @property
    def url(self) -> str:
        if self.stage is None:
            return reverse("track", args=[self.track.slug])
        return reverse("level", args=[self.track.slug, self.stage.level.slug])


@dataclass(frozen=True)
class Recommendation:
    track: Track  # the track the answers point to
    stage: Stage | None  # where to start on it; None when the learner starts on `first`
    first: Stage | None  # the stage of `track.builds_on` to do first, when below the entry level
    reasons: list[Reason]
    runner_up: RunnerUp | None = None
    # The answer whose `serves` chose this track over the runner-up, which has more points.
    decided_by: AnswerOption | None = None

    @property
    def start(self) -> Stage | None:
        return self.first or self.stage

    @property
    def url(self) -> str:
        stage = self.start
        if stage is None:
            return reverse("track", args=[self.track.slug])
        return reverse("level", args=[stage.track.slug, stage.level.slug])


def step_get(*, params: Mapping[str, str]) -> Step:
    """The questions (two queries) and the valid answers among `params`."""
    options = Prefetch(
        "options",
        queryset=AnswerOption.objects.visible().select_related("level"),
        to_attr="visible_options",
    )
    questions = [
        q for q in Question.objects.visible().prefetch_related(options) if q.visible_options
    ]
    answers = {}
    for question in questions:
        chosen = params.get(question.slug)
        option = next((o for o in question.visible_options if o.slug == chosen), None)
        if option is not None:
            answers[question.slug] = option
    current = next((q for q in questions if q.slug not in answers), None)
    return Step(questions=questions, answers=answers, current=current)


def recommendation_get(*, answers: Mapping[str, AnswerOption]) -> Recommendation | None:
    """The track and level the answers point to (two queries), or None without visible tracks."""
    return recommendation_among(catalog.track_list(), answers=answers)


def recommendation_among(
    tracks: list[Track], *, answers: Mapping[str, AnswerOption]
) -> Recommendation | None:
    """The recommendation among `tracks` (as `catalog.track_list` gives them), no query."""
    tracks = [t for t in tracks if t.visible_stages]
    if not tracks:
        return None
    chosen = list(answers.values())
    by_slug = {t.slug: t for t in tracks}
    best, second = scoring.track_pick({t.slug: t.order for t in tracks}, chosen)
    track = by_slug[best]
    leveled = [o for o in chosen if o.level is not None]
    setter = max(leveled, key=lambda o: o.level.order) if leveled else None
    reasons = _reasons_for(best, chosen)
    if setter is not None and setter.reason:
        reasons.insert(0, Reason(text=setter.reason, answer=setter, track=""))
    level = setter.level if setter else track.entry_level
    stage = _stage_at(track, level)
    first = None
    if level.order < track.entry_level.order:
        base = by_slug.get(track.builds_on)
        first = _stage_at(base, level) if base else None
    runner_up, decided_by = None, None
    if second is not None:
        other = by_slug[second]
        runner_up = RunnerUp(
            track=other, stage=_stage_at(other, level), reasons=_reasons_for(second, chosen)
        )
        points = scoring.track_points(by_slug, chosen)
        if (points[second], -other.order) > (points[best], -track.order):
            decided_by = next((o for o in chosen if o.serves and second not in o.serves), None)
    return Recommendation(
        track=track,
        stage=stage,
        first=first,
        reasons=reasons,
        runner_up=runner_up,
        decided_by=decided_by,
    )


def _reasons_for(track: str, chosen: list[AnswerOption]) -> list[Reason]:
    """What the chosen answers say for `track`: only the answers that gave it points, a goal
    that only some tracks serve first (it decided)."""
    counted = [o for o in chosen if int(o.scores.get(track, 0)) > 0 and o.reasons.get(track)]
    counted.sort(key=lambda o: not o.serves)
    return [Reason(text=o.reasons[track], answer=o, track=track) for o in counted]


def _stage_at(track: Track, level: Level) -> Stage | None:
    """The track's stage at `level`, or the nearest one above it (a track may start later), or
    its last stage when the level is past its end."""
    stages = track.visible_stages
    for stage in stages:
        if stage.level.order >= level.order:
            stage.track = track
            return stage
    if stages:
        stages[-1].track = track
        return stages[-1]
    return None
