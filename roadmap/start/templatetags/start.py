"""`{% start_question_count as n %}`: how many questions /start/ asks, for the links to it, so
no page hard-codes a number the questionnaire no longer has."""

from django import template

from roadmap.start.selectors import question_count

register = template.Library()


@register.simple_tag
def start_question_count() -> int:
    return question_count()
