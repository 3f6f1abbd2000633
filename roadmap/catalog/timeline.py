"""The timeline model's interface that /plan/ reads (a placeholder until the model lands).

A stage's duration is weeks of focused learning at MODEL_HOURS_PER_WEEK.
"""

from decimal import Decimal

from .models import DurationUnit, Stage

MODEL_HOURS_PER_WEEK: int = 15

WEEKS_PER_UNIT = {
    DurationUnit.WEEKS: Decimal(1),
    DurationUnit.MONTHS: Decimal(52) / Decimal(12),
    DurationUnit.YEARS: Decimal(52),
}


def stage_weeks(stage: Stage) -> tuple[float, float | None]:
    """The stage's duration in weeks at the model's pace; None as the high end is open-ended."""
    factor = WEEKS_PER_UNIT[stage.duration_unit]
    high = None if stage.duration_max is None else float(stage.duration_max * factor)
    return float(stage.duration_min * factor), high
