"""Lookups the progress partials need and Django templates cannot express.

Both accept a missing `progress` (the page's context lacks it): nothing is ticked then.
"""

from django import template

from roadmap.catalog.models import Stage, StageItem
from roadmap.progress.selectors import LevelProgress, PageProgress

register = template.Library()


@register.filter
def is_ticked(progress: PageProgress | None, item: StageItem | str) -> bool:
    """`progress|is_ticked:item` (an item or its content id)"""
    item_id = getattr(item, "content_id", item)
    return isinstance(progress, PageProgress) and item_id in progress.ticked


@register.filter
def level_count(progress: PageProgress | None, stage: Stage | str) -> LevelProgress:
    """`progress|level_count:stage` (a stage or its content id): its counts (zero when nothing
    is ticked)."""
    stage_id = getattr(stage, "content_id", stage)
    found = progress.levels.get(stage_id) if isinstance(progress, PageProgress) else None
    return found or LevelProgress(stage_id=stage_id)
