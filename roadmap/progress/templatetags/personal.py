"""`{% personal "name" key=value %}`: one learner's part of a shared page (progress/slots.py).

In a page rendered for one visitor the slot's function runs in place, with the page's `progress`
(what `page_progress_get` returned; nothing is ticked without it). While a shared page renders,
a marker stands there instead and the page cache fills it in for each request
(roadmap/ops/page_cache.py). Pass ids and strings, or catalogue objects: they are stored with
the page.
"""

from django import template
from django.utils.safestring import mark_safe

from roadmap.ops.page_cache import slot_marker
from roadmap.progress.selectors import PageProgress
from roadmap.progress.slots import slot_render

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, name: str, **values) -> str:
    marker = slot_marker(context.get("request"), name, values)
    if marker is not None:
        return mark_safe(marker)
    progress = context.get("progress")
    return slot_render(
        name, progress if isinstance(progress, PageProgress) else PageProgress(), values
    )
