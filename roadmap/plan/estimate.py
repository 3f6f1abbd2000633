"""How long what is left of a track takes at a learner's pace, as an honest range.

A level's work is its criteria and projects, learned from its *start here* resources. Its hours
are its duration in the timeline model at the model's weekly pace; where the start-here
resources' stated effort adds up to more, their effort counts instead. Criteria and projects
carry no effort of their own yet, so each is an equal share of its level's hours, and what is
left is the share of the items the learner has not ticked. Pure functions: no queries.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from roadmap.catalog.models import Stage, StageItem
from roadmap.catalog.timeline import MODEL_HOURS_PER_WEEK, stage_weeks


@dataclass(frozen=True)
class Range:
    """From `low` to `high`; a `high` of None is open-ended ("at least `low`")."""

    low: float
    high: float | None

    def __add__(self, other: "Range") -> "Range":
        high = None if self.high is None or other.high is None else self.high + other.high
        return Range(self.low + other.low, high)

    def times(self, factor: float) -> "Range":
        return Range(self.low * factor, None if self.high is None else self.high * factor)

    @property
    def middle(self) -> float:
        """One figure to plan with: the middle of the range, or its start when open-ended."""
        return self.low if self.high is None else (self.low + self.high) / 2


NOTHING = Range(0.0, 0.0)


@dataclass(frozen=True)
class StartResource:
    """A *start here* course, reading entry or article of a level, with its effort in hours."""

    title: str
    url: str
    effort: Range | None  # None: no stated effort (our own articles)


@dataclass(frozen=True)
class LevelWork:
    """One level of the track as the plan reads it: its criteria and projects in the page's
    order, and its start-here resources."""

    stage: Stage
    items: list[StageItem]
    resources: list[StartResource] = field(default_factory=list)

    @property
    def hours(self) -> Range:
        """The whole level's hours of focused learning."""
        low, high = stage_weeks(self.stage)
        model = Range(low, high).times(MODEL_HOURS_PER_WEEK)
        known = sum((r.effort for r in self.resources if r.effort), NOTHING)
        high = None if model.high is None else max(model.high, known.high or 0)
        return Range(max(model.low, known.low), high)

    @property
    def item_hours(self) -> Range:
        """One criterion's or project's share of the level."""
        return self.hours.times(1 / len(self.items)) if self.items else self.hours

    def hours_left(self, ticked: frozenset[str]) -> Range:
        if not self.items:  # nothing to tick: the whole level is still ahead
            return self.hours
        return self.item_hours.times(len(self.open_items(ticked)))

    def open_items(self, ticked: frozenset[str]) -> list[StageItem]:
        return [item for item in self.items if item.content_id not in ticked]

    @property
    def first_resource(self) -> StartResource | None:
        return self.resources[0] if self.resources else None


@dataclass(frozen=True)
class PaceRow:
    """One level at the learner's pace: the work left, the time it takes, and when they would
    reach the level and be done with it (dates from today)."""

    work: LevelWork
    hours_left: Range
    weeks: Range
    reach: tuple[date, date | None]
    done: tuple[date, date | None]
    items_left: int


def pace_rows(
    works: list[LevelWork], *, ticked: frozenset[str], hours_per_week: int, today: date
) -> list[PaceRow]:
    rows, elapsed = [], NOTHING
    for work in works:
        left = work.hours_left(ticked)
        weeks = left.times(1 / hours_per_week)
        reach = _dates(today, elapsed)
        elapsed = elapsed + weeks
        rows.append(
            PaceRow(
                work=work,
                hours_left=left,
                weeks=weeks,
                reach=reach,
                done=_dates(today, elapsed),
                items_left=len(work.open_items(ticked)),
            )
        )
    return rows


def _dates(today: date, weeks: Range) -> tuple[date, date | None]:
    high = None if weeks.high is None else today + timedelta(weeks=weeks.high)
    return today + timedelta(weeks=weeks.low), high
