"""The entries of /courses/ and /reading/ as their lists show them, worked out once.

Each entry is a plain dict of the strings the page prints (badges, effort, the levels that
recommend it, with their addresses), already HTML-escaped: the catalogue keeps these per content
version (catalogue.py), so a render prints each value as it is instead of calling model methods,
`{% url %}` and the escaping for every course and link (escaping was half of each value's cost).
"""

from django.urls import reverse
from django.utils.html import escape

from .models import Article, Course, Reading, StageCourse, StageReading


def course_entry(course: Course) -> dict:
    return _entry(course, by=course.provider)


def reading_entry(reading: Reading) -> dict:
    return _entry(reading, by=reading.author)


def article_entry(article: Article) -> dict:
    return _escaped(
        slug=article.slug,
        url=reverse("article", args=[article.slug]),
        title=article.title,
        summary=article.summary,
    )


def _entry(entry: Course | Reading, *, by: str) -> dict:
    return {
        **_escaped(
            slug=entry.slug,
            url=entry.url,
            title=entry.title,
            by=by,
            summary=entry.summary,
            cost=entry.cost,
            cost_label=entry.get_cost_display(),
            kind_label=entry.get_kind_display(),
            effort_label=entry.effort_label,
        ),
        "used_in": [_used_in(link) for link in entry.visible_links],
    }


def _used_in(link: StageCourse | StageReading) -> dict:
    """One level that recommends the entry: "Backend Development, Junior (start here)"."""
    stage = link.stage
    return _escaped(
        url=reverse("level", args=[stage.track.slug, stage.level.slug]),
        where=f"{stage.track.name}, {stage.level.name}",
        label=str(link.get_label_display()).lower() if link.label else "",
    )


def _escaped(**values: str) -> dict:
    return {name: escape(value) for name, value in values.items()}
