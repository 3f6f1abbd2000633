"""Lookups the progress partials need and Django templates cannot express.

Both accept a missing `progress` (the page's context lacks it): nothing is ticked then.
"""

from django import template

from roadmap.catalog.models import Stage, StageItem
from roadmap.progress.selectors import LevelProgress, PageProgress

register = template.Library()


@register.filter
def is_ticked(progress: PageProgress | None, item: StageItem) -> bool:
    """`progress|is_ticked:item`"""
    return isinstance(progress, PageProgress) and item.content_id in progress.ticked


@register.filter
def level_count(progress: PageProgress | None, stage: Stage) -> LevelProgress:
    """`progress|level_count:stage`: the stage's counts (zero when nothing is ticked)."""
    if isinstance(progress, PageProgress):
        return progress.count(stage)
    return LevelProgress(stage_id=stage.content_id)
