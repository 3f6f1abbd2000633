"""The plan for this week: the next unticked criteria and projects, in the site's order, until
they fill the hours the learner has. Next week's plan is simply this again after their ticks.
Pure functions: no queries.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from roadmap.catalog.models import StageItem

from .estimate import LevelWork, Range, StartResource

MAX_ITEMS = 20  # a week's checklist stays one printed page, whatever the content
DAYS = 7


@dataclass(frozen=True)
class WeekItem:
    item: StageItem
    work: LevelWork
    hours: float  # the part of it planned for this week
    estimate: Range  # the whole item
    resource: StartResource | None
    first_day: int  # 0 is the week's first day
    last_day: int  # inclusive

    @property
    def partial(self) -> bool:
        """Only a start on it fits this week."""
        return self.hours < self.estimate.middle - 0.05


@dataclass(frozen=True)
class WeekPlan:
    start: date
    hours_per_week: int
    items: list[WeekItem]

    @property
    def end(self) -> date:
        return self.start + timedelta(days=DAYS - 1)

    @property
    def hours(self) -> float:
        return sum(entry.hours for entry in self.items)

    def day(self, offset: int) -> date:
        return self.start + timedelta(days=offset)


def week_plan_build(
    works: list[LevelWork], *, ticked: frozenset[str], hours_per_week: int, today: date
) -> WeekPlan:
    """Fill the week in order; the last item may only be started. Each item gets the days of
    the week in proportion to its hours, at least one."""
    chosen: list[tuple[StageItem, LevelWork, float]] = []
    remaining = float(hours_per_week)
    open_items = ((item, work) for work in works for item in work.open_items(ticked))
    for item, work in open_items:
        if remaining <= 0 or len(chosen) == MAX_ITEMS:
            break
        hours = min(work.item_hours.middle, remaining)
        chosen.append((item, work, hours))
        remaining -= hours
    total = sum(hours for _, _, hours in chosen) or 1
    items, before = [], 0.0
    for item, work, hours in chosen:
        first = min(math.floor(DAYS * before / total), DAYS - 1)
        before += hours
        last = max(first, min(math.ceil(DAYS * before / total), DAYS) - 1)
        items.append(
            WeekItem(
                item=item,
                work=work,
                hours=hours,
                estimate=work.item_hours,
                resource=work.first_resource,
                first_day=first,
                last_day=last,
            )
        )
    return WeekPlan(start=today, hours_per_week=hours_per_week, items=items)
