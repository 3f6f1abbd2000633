"""A stage's courses and reading as the level page shows them: grouped by label, with hours.

"Start here" comes first, then the "pick one" alternatives as one choice, then "go deeper"; a
link an editor has not labelled yet (a draft) goes last, without a heading.
"""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import ResourceKind, ResourceLabel, StageCourse, StageReading, effort_label

GROUP_ORDER = (*ResourceLabel.values, "")
GROUP_HEADINGS = {
    ResourceLabel.START_HERE: "Start here",
    ResourceLabel.PICK_ONE: "Pick one of:",
    ResourceLabel.GO_DEEPER: "Go deeper",
    "": "",
}
WORDS_PER_MINUTE = 200  # a careful reading pace, for our own articles


@dataclass(frozen=True)
class StageResource:
    """One course, reading entry or article of a stage, ready to show: its texts are HTML-escaped
    already (`_shown`), as level panels are kept per content version (catalogue.py) and escaping
    was half the cost of printing each value."""

    title: str
    url: str
    summary: str
    by: str  # provider or author; "" for our own articles
    cost: str
    cost_label: str
    kind: str
    kind_label: str
    effort_label: str
    is_article: bool

    @property
    def badge(self) -> str:
        """The price badge's class suffix: "ours" for our own articles, else the cost."""
        return mark_safe("ours") if self.is_article else self.cost

    @property
    def badge_label(self) -> str:
        return mark_safe("Our article") if self.is_article else self.cost_label


@dataclass(frozen=True)
class ResourceGroup:
    label: str  # a ResourceLabel value, or "" for an editor's unlabelled draft
    heading: str
    entries: list[StageResource]

    @property
    def is_choice(self) -> bool:
        return self.label == ResourceLabel.PICK_ONE


def resource_groups(links: list[StageCourse] | list[StageReading]) -> list[ResourceGroup]:
    """The links (already in the file's order) grouped by label, in the page's group order."""
    by_label: dict[str, list[StageResource]] = {}
    for link in links:
        by_label.setdefault(link.label, []).append(_resource(link))
    return [
        ResourceGroup(label=label, heading=GROUP_HEADINGS[label], entries=by_label[label])
        for label in GROUP_ORDER
        if label in by_label
    ]


def _resource(link: StageCourse | StageReading) -> StageResource:
    if isinstance(link, StageCourse):
        return _from_entry(link.course, by=link.course.provider)
    if link.article is not None:
        article = link.article
        return _shown(
            title=article.title,
            url=reverse("article", kwargs={"slug": article.slug}),
            summary=article.summary,
            by="",
            cost="free",
            cost_label="Free",
            kind=ResourceKind.ARTICLE,
            kind_label="Our article",
            effort_label=article_effort_label(article.body),
            is_article=True,
        )
    return _from_entry(link.reading, by=link.reading.author)


def _from_entry(entry, *, by: str) -> StageResource:
    return _shown(
        title=entry.title,
        url=entry.url,
        summary=entry.summary,
        by=by,
        cost=entry.cost,
        cost_label=entry.get_cost_display(),
        kind=entry.kind,
        kind_label=entry.get_kind_display(),
        effort_label=effort_label(entry.effort_min, entry.effort_max),
        is_article=False,
    )


def _shown(*, is_article: bool, **texts: str) -> StageResource:
    return StageResource(is_article=is_article, **{k: escape(v) for k, v in texts.items()})


def article_effort_label(markdown: str) -> str:
    minutes = max(1, round(len(re.findall(r"\w+", markdown)) / WORDS_PER_MINUTE))
    return f"about {minutes} min"
