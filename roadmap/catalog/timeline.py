"""The timeline model: what every duration on the site measures, and every total computed from it.

The model, as the editor guide and /timelines/ state it: a stage's duration is *focused learning*
(study, practice and the stage's projects) at about `MODEL_HOURS_PER_WEEK` hours a week. The road
to a title adds up the stages before it and the named extra parts of the track's `timeline:`
(a job search, time working at the level before, earlier years in another job), end to end.

Nothing here reads a request or the database: callers pass stages (catalogue rows, or the
validated files when `validate_content` checks a track's stated figure) and get numbers, labels
and ISO 8601 durations back, so the pages, the chart, the JSON-LD and the validator agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roadmap.catalog.models import Stage, Track

MODEL_HOURS_PER_WEEK: int = 15
# A stated total agrees with the computed one when each end is within this share of it: the
# stated figures are rounded ("about 3–5 years"), the computed ones are exact sums.
TOLERANCE = 0.15
WEEKS_PER_UNIT = {"weeks": 1.0, "months": 52 / 12, "years": 52.0}


def weeks(amount: Decimal | float | int, unit: str) -> float:
    return float(amount) * WEEKS_PER_UNIT[unit]


def stage_weeks(stage: Stage) -> tuple[float, float | None]:
    """A stage's duration as weeks of focused learning at MODEL_HOURS_PER_WEEK; None: open-ended."""
    return _span_of(stage.duration_min, stage.duration_max, stage.duration_unit)


def _span_of(low, high, unit: str) -> tuple[float, float | None]:
    return weeks(low, unit), None if high is None else weeks(high, unit)


# --- ranges as people read them -----------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A range in weeks; `high` None is open-ended ("2+ years")."""

    low: float
    high: float | None

    def __add__(self, other: Span) -> Span:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Span(self.low + other.low, high)

    @cached_property  # pages print it many times; a Span never changes
    def label(self) -> str:
        return range_label(self.low, self.high)

    @property
    def hours(self) -> tuple[float, float | None]:
        """The focused-learning hours at the model's pace (meaningful for study parts)."""
        to_hours = MODEL_HOURS_PER_WEEK
        return self.low * to_hours, None if self.high is None else self.high * to_hours


ZERO = Span(0.0, 0.0)


def _span_sum(spans: Iterable[Span]) -> Span:
    total = ZERO
    for span in spans:
        total = total + span
    return total


def range_label(low: float, high: float | None) -> str:
    """Weeks as a reader says them: "4–8 weeks", "3–6 months", "2.6–4.2 years", "2+ years"."""
    longest = low if high is None else high
    unit = "years" if longest >= 78 else "months" if longest >= 13 else "weeks"
    low_text = _amount(low, unit)
    if high is None:
        return f"{low_text}+ {unit}"
    high_text = _amount(high, unit)
    if low_text == high_text:
        return f"{low_text} {unit.removesuffix('s') if high_text == '1' else unit}"
    return f"{low_text}–{high_text} {unit}"


def _amount(value: float, unit: str) -> str:
    amount = value / WEEKS_PER_UNIT[unit]
    if unit == "years":
        return f"{round(amount, 1):g}"
    return str(round(amount))


def iso_duration(value: float) -> str:
    """Weeks as an ISO 8601 duration for schema.org: whole years, months or weeks when exact."""
    for letter, unit in (("Y", "years"), ("M", "months")):
        amount = value / WEEKS_PER_UNIT[unit]
        if amount >= 1 and math.isclose(amount, round(amount), abs_tol=1e-6):
            return f"P{round(amount)}{letter}"
    return f"P{max(1, round(value))}W"


# --- the road to a title ------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A stage as the model needs it: its level and its duration in weeks."""

    level_slug: str
    level_name: str
    span: Span


@dataclass(frozen=True)
class Part:
    """One piece of the road: a stage's study, or a named extra part (not study)."""

    name: str
    span: Span
    is_study: bool
    level_slug: str = ""  # the stage's level; for an extra, the level it follows ("": first)


@dataclass(frozen=True)
class Road:
    """The stages from a track's first counted level up to its title, and its extra parts."""

    parts: tuple[Part, ...]
    covers: str  # "Beginner to Senior" (reaching the title), or "Beginner through Junior"

    @cached_property  # a Road never changes; pages ask for its total many times
    def total(self) -> Span:
        return _span_sum(part.span for part in self.parts)

    @property
    def study(self) -> Span:
        return _span_sum(part.span for part in self.parts if part.is_study)

    @property
    def extras(self) -> tuple[Part, ...]:
        return tuple(part for part in self.parts if not part.is_study)


class TimelineError(ValueError):
    """The `timeline:` names a level the track's stages cannot place (the validator reports it)."""

    def __init__(self, key: tuple, message: str):
        self.key = key
        super().__init__(message)


def road(places: list[Place], timeline: dict) -> Road:
    """Lay out the road: extras without `after` first, then each counted stage and the extras
    that follow it. `places` are the track's stages, lowest level first. Without `to`, the road
    runs through the last stage."""
    slugs = [place.level_slug for place in places]
    to = timeline.get("to")
    if to is not None and to not in slugs:
        raise TimelineError(("timeline", "to"), f"the track has no `{to}` stage to reach")
    end = slugs.index(to) if to is not None else len(slugs)
    start = timeline.get("from") or (slugs[0] if slugs else None)
    if start not in slugs or slugs.index(start) >= end:
        where = f"before `{to}`" if to is not None else ""
        raise TimelineError(
            ("timeline", "from"), f"`{start}` is not a stage of this track {where}".strip()
        )
    counted = places[slugs.index(start) : end]
    extras = timeline.get("extras") or []
    counted_slugs = {place.level_slug for place in counted}
    for n, extra in enumerate(extras):
        after = extra.get("after")
        if after is not None and after not in counted_slugs:
            raise TimelineError(
                ("timeline", "extras", n, "after"),
                f"`{after}` is not one of the stages the total counts "
                f"({', '.join(place.level_slug for place in counted)})",
            )
    parts = [_extra(extra) for extra in extras if not extra.get("after")]
    for place in counted:
        parts.append(Part(place.level_name, place.span, True, place.level_slug))
        parts += [_extra(extra) for extra in extras if extra.get("after") == place.level_slug]
    if to is not None:
        covers = f"{counted[0].level_name} to {places[end].level_name}"
    else:
        covers = f"{counted[0].level_name} through {counted[-1].level_name}"
    return Road(parts=tuple(parts), covers=covers)


def _extra(extra: dict) -> Part:
    duration = extra["duration"]
    low, high = _span_of(duration["min"], duration.get("max"), duration["unit"])
    return Part(extra["name"], Span(low, high), False, extra.get("after") or "")


def track_total(track: Track) -> Road | None:
    """The road of a catalogue track (with `visible_stages`); None when its stages cannot place
    its timeline (a hidden stage): the page then shows the stated figure alone."""
    places = [
        Place(stage.level.slug, stage.level.name, Span(*stage_weeks(stage)))
        for stage in track.visible_stages
    ]
    try:
        return road(places, track.timeline or {})
    except TimelineError:
        return None


def stated_span(low, high, unit: str) -> Span:
    return Span(*_span_of(low, high, unit))


def disagreement(stated: Span, computed: Span) -> str:
    """Why a stated total and the computed one disagree beyond TOLERANCE; "" when they agree."""
    ends = [("shortest", stated.low, computed.low)]
    if stated.high is not None or computed.high is not None:
        ends.append(("longest", stated.high, computed.high))
    for name, said, summed in ends:
        if said is None or summed is None:
            return f"the {name} end is open on one side only"
        if abs(summed - said) > TOLERANCE * said:
            return (
                f"its {name} end ({range_label(said, said)}) is more than {TOLERANCE:.0%} away "
                f"from the computed {range_label(summed, summed)}"
            )
    return ""
