"""The plan's arithmetic and wording without a database: a level's hours from the timeline model
and its start-here resources, what is left after ticks, and ranges said honestly."""

from datetime import date
from decimal import Decimal

from roadmap.catalog.models import ItemKind, Stage, StageItem
from roadmap.catalog.timeline import MODEL_HOURS_PER_WEEK
from roadmap.plan.estimate import LevelWork, Range, StartResource, pace_rows
from roadmap.plan.week import week_plan_build
from roadmap.plan.wording import dates_text, hours_range_text, hours_text, span_text

TODAY = date(2027, 1, 4)


def stage(low, high, unit="weeks") -> Stage:
    return Stage(
        duration_min=Decimal(low),
        duration_max=None if high is None else Decimal(high),
        duration_unit=unit,
    )


def items(count: int) -> list[StageItem]:
    return [StageItem(content_id=f"item{n}", kind=ItemKind.PROJECT) for n in range(count)]


def course(low, high) -> StartResource:
    return StartResource("A course", "https://example.org", Range(low, high))


def test_a_levels_hours_are_its_duration_at_the_models_pace():
    work = LevelWork(stage(4, 8), items(4), [course(5, 10)])
    assert work.hours == Range(4 * MODEL_HOURS_PER_WEEK, 8 * MODEL_HOURS_PER_WEEK)


def test_start_here_resources_that_take_longer_than_the_duration_count_instead():
    work = LevelWork(stage(1, 2), items(2), [course(20, 40), course(30, 50)])
    assert work.hours == Range(50, 90)


def test_what_is_left_is_the_share_of_the_unticked_items():
    work = LevelWork(stage(4, 8), items(4))
    assert work.hours_left(frozenset({"item0"})) == Range(45, 90)
    assert work.hours_left(frozenset(f"item{n}" for n in range(4))) == Range(0, 0)
    assert LevelWork(stage(4, 8), []).hours_left(frozenset()) == Range(60, 120)


def test_an_open_ended_level_stays_open_ended_and_so_does_every_date_after_it():
    works = [LevelWork(stage(2, None, "years"), items(1)), LevelWork(stage(4, 8), items(1))]
    rows = pace_rows(works, ticked=frozenset(), hours_per_week=15, today=TODAY)
    assert rows[0].weeks == Range(104, None)
    assert rows[1].reach[1] is None and rows[1].done[1] is None


def test_the_week_plan_fills_the_hours_and_spreads_items_over_the_days():
    work = LevelWork(stage(1, 1), items(6))  # 15 hours: 2.5 an item
    plan = week_plan_build([work], ticked=frozenset({"item0"}), hours_per_week=6, today=TODAY)
    assert [e.item.content_id for e in plan.items] == ["item1", "item2", "item3"]
    assert [e.hours for e in plan.items] == [2.5, 2.5, 1.0]
    assert plan.items[-1].partial and not plan.items[0].partial
    assert [(e.first_day, e.last_day) for e in plan.items] == [(0, 2), (2, 5), (5, 6)]


def test_spans_use_the_unit_their_end_calls_for_and_round_outward():
    assert span_text(Range(4, 8)) == "4–8 weeks"
    assert span_text(Range(2.2, 3.1)) == "2–4 weeks"
    assert span_text(Range(0.5, 0.9)) == "up to 1 week"
    assert span_text(Range(13, 26)) == "3–6 months"
    assert span_text(Range(13.04, 26.07)) == "3–6 months"  # months of 4.345 weeks: still 3–6
    assert span_text(Range(52, 104)) == "1–2 years"
    assert span_text(Range(104, None)) == "at least 2 years"
    assert span_text(Range(0, 0)) == "nothing left"


def test_hours_read_as_people_say_them():
    assert hours_text(0.5) == "30 min"
    assert hours_text(1) == "1 hour"
    assert hours_text(2.3) == "2.5 hours"
    assert hours_text(39.1) == "39 hours"
    assert hours_text(391) == "390 hours"
    assert hours_range_text(Range(20, 40)) == "20–40 hours"
    assert hours_range_text(Range(0.5, 2)) == "30 min to 2 hours"


def test_dates_are_days_for_short_spans_and_months_for_long_ones():
    assert dates_text((TODAY, TODAY), today=TODAY) == "now"
    short = (date(2027, 2, 1), date(2027, 3, 1))
    assert dates_text(short, today=TODAY) == "between February 1, 2027 and March 1, 2027"
    long = (date(2027, 6, 1), date(2028, 2, 1))
    assert dates_text(long, today=TODAY) == "between June 2027 and February 2028"
    assert dates_text((date(2029, 1, 1), None), today=TODAY) == "not before January 2029"
