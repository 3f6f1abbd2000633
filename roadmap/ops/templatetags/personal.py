"""`{% personal "progress/_x.html" name=value %}`: one learner's part of a shared page.

The template renders with `progress` (what `page_progress_get` returned), `request` and the
named values (plain values: ids, strings), in place; in a shared page it is filled in per
request instead (roadmap/ops/page_cache.py). Pass ids, not objects: they are stored with the page.
"""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from roadmap.ops.page_cache import slot_marker

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, template_name: str, **values) -> str:
    marker = slot_marker(context.get("request"), template_name, values)
    if marker is not None:
        return mark_safe(marker)
    with context.push(progress=context.get("progress"), **values):
        return get_template(template_name).template.render(context)
