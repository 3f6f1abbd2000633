"""Hours, spans of weeks and dates as the plan says them: ranges rounded outward, so a range
never claims more precision than the model has."""

import math
from datetime import date

from .estimate import Range

WEEKS_PER_MONTH = 52 / 12
SNAP = 0.05  # of a unit: closer than this to a whole number is that number


def hours_text(hours: float) -> str:
    """ "45 min", "1 hour", "2.5 hours", "39 hours", "195 hours": the more hours, the rounder."""
    if hours <= 0:
        return "0 hours"
    if hours < 0.75:
        return f"{max(5, round(hours * 60 / 5) * 5)} min"
    step = 0.5 if hours < 10 else 1 if hours < 100 else 5
    number = round(hours / step) * step
    return f"{number:g} hour{'' if number == 1 else 's'}"


def hours_range_text(hours: Range) -> str:
    if hours.high is None:
        return f"at least {hours_text(hours.low)}"
    low, high = hours_text(hours.low), hours_text(hours.high)
    if low == high:
        return low
    if low.endswith(" hours") and high.endswith(" hours"):
        return f"{low.removesuffix(' hours')}–{high}"
    return f"{low} to {high}"


def span_text(weeks: Range) -> str:
    """A span of weeks in the unit its end calls for: "2–3 weeks", "4–8 months", "1.5–3 years"."""
    if weeks.high == 0:
        return "nothing left"
    end = weeks.low if weeks.high is None else weeks.high
    if end <= 12:
        unit, per, step = "week", 1, 1
    elif end < 104:
        unit, per, step = "month", WEEKS_PER_MONTH, 1
    else:
        unit, per, step = "year", 52, 0.5
    low = _down(weeks.low / per / step) * step
    if weeks.high is None:
        return f"at least {_count(max(low, step), unit)}"
    high = max(_up(weeks.high / per / step) * step, step)
    if low == high:
        return _count(high, unit)
    if low == 0:
        return f"up to {_count(high, unit)}"
    return f"{low:g}–{_count(high, unit)}"


def _down(steps: float) -> int:
    """Rounded down, except that a hair below a whole number (a month is 4.33 or 4.35 weeks,
    depending on who counts) is that number: outward rounding must not turn 3 months into 2."""
    return math.floor(steps + SNAP)


def _up(steps: float) -> int:
    return math.ceil(steps - SNAP)


def _count(number: float, unit: str) -> str:
    return f"{number:g} {unit}{'' if number == 1 else 's'}"


def date_text(day: date, *, precise: bool) -> str:
    """ "December 12, 2026" when the span is short enough for days to mean something, else
    "March 2027"."""
    if precise:
        return f"{day:%B} {day.day}, {day.year}"
    return f"{day:%B} {day.year}"


def dates_text(dates: tuple[date, date | None], *, today: date) -> str:
    """When something happens, as a range of dates from today."""
    low, high = dates
    if high is None:
        return f"not before {date_text(low, precise=False)}"
    if high <= today:
        return "now"
    precise = (high - today).days <= 12 * 7
    low_text, high_text = date_text(low, precise=precise), date_text(high, precise=precise)
    if low_text == high_text:
        return f"by {high_text}" if precise else f"in {high_text}"
    return f"between {low_text} and {high_text}"
