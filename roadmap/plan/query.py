"""What /plan/'s query string asks for, checked: a track, a level and hours a week.

Every value a visitor can type or bookmark is read here, once, with a message for each problem,
so the views never meet a value they cannot use. Values are cut short before they are parsed or
quoted back, which bounds the work a request can cause.
"""

import re
from dataclasses import dataclass

from django.http import QueryDict

HOURS_MIN, HOURS_MAX = 1, 60
LONGEST_VALUE = 100  # no slug or number is longer; anything past it is ignored
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")  # ASCII digits only: no "٣"
HOURS_RULE = f"a whole number from {HOURS_MIN} to {HOURS_MAX}"


@dataclass(frozen=True)
class PlanQuery:
    track: str = ""
    level: str = ""  # "" means where the track starts
    hours: int | None = None  # None: not given, or not usable (then "hours" is invalid)
    problems: tuple[str, ...] = ()
    invalid: frozenset[str] = frozenset()  # the names of the values the problems are about

    @property
    def asked(self) -> bool:
        """The visitor sent the form (or a link with its values), rather than just opening it."""
        return bool(self.track or self.level or self.hours is not None or self.invalid)


def plan_query_parse(params: QueryDict) -> PlanQuery:
    problems: dict[str, str] = {}
    track = _one(params, "track", problems, "Choose one track, not several.")
    level = _one(params, "level", problems, "Choose one level, not several.")
    raw_hours = _one(params, "hours", problems, "Give one number of hours a week, not several.")
    hours = _hours(raw_hours, problems) if raw_hours else None
    return PlanQuery(
        track=track,
        level=level,
        hours=hours,
        problems=tuple(problems.values()),
        invalid=frozenset(problems),
    )


def _one(params: QueryDict, name: str, problems: dict[str, str], several: str) -> str:
    """The parameter's value; a parameter repeated with different values is a problem."""
    values = {value.strip()[:LONGEST_VALUE] for value in params.getlist(name)} - {""}
    if len(values) > 1:
        problems[name] = several
        return ""
    return values.pop() if values else ""


def _hours(raw: str, problems: dict[str, str]) -> int | None:
    if not _WHOLE_NUMBER.fullmatch(raw):
        problems["hours"] = f"“{raw[:20]}” is not a number of hours: give {HOURS_RULE}."
        return None
    value = int(raw)  # at most LONGEST_VALUE digits
    if not HOURS_MIN <= value <= HOURS_MAX:
        shown = raw if len(raw) <= 10 else f"{raw[:10]}…"
        problems["hours"] = f"Hours a week must be {HOURS_RULE}, not {shown}."
        return None
    return value
