"""Lookups the progress partials need and Django templates cannot express.

Both accept a missing `progress` (the page's context lacks it): nothing is ticked then.
"""

from django import template
from django.utils.safestring import mark_safe

from roadmap.catalog.models import StageItem
from roadmap.progress.selectors import LevelProgress, PageProgress
from roadmap.progress.slots import level_count_html

register = template.Library()


@register.filter
def is_ticked(progress: PageProgress | None, item: StageItem | str) -> bool:
    """`progress|is_ticked:item` (an item or its content id)"""
    item_id = getattr(item, "content_id", item)
    return isinstance(progress, PageProgress) and item_id in progress.ticked


@register.simple_tag
def level_count_tag(count: LevelProgress, oob: bool = False) -> str:
    """`{% level_count_tag count %}`: "3 of 5 ready" (progress/slots.py `level_count_html`)."""
    return mark_safe(level_count_html(count, oob=oob))
