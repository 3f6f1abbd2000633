"""The plan's figures as words (see roadmap/plan/wording.py)."""

from django import template

from roadmap.plan import wording

register = template.Library()


@register.filter
def span(weeks) -> str:
    return wording.span_text(weeks)


@register.filter
def hours(value) -> str:
    return wording.hours_text(value)


@register.filter
def hours_range(value) -> str:
    return wording.hours_range_text(value)


@register.simple_tag
def when(dates, today) -> str:
    return wording.dates_text(dates, today=today)


@register.simple_tag
def day(value, *, precise: bool = True) -> str:
    return wording.date_text(value, precise=precise)
