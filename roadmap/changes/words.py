"""A load's changes in plain words: "3 new projects in Backend · Mid-level".

Changes of one kind, action and place are counted together in one line; a line links to where the
change can be seen when there is such a page (a level, a track).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import ngettext

from roadmap.catalog.models import ChangeAction, ContentChange, ItemKind

# What a reader calls one row, and several, by the row's model (stage items by their section).
NOUNS = {
    ItemKind.READY_WHEN: ("criterion", "criteria"),
    ItemKind.PROJECT: ("project", "projects"),
    ItemKind.SKILL: ("skill", "skills"),
    ItemKind.MISTAKE: ("common mistake", "common mistakes"),
    ItemKind.EXPECTATION: ("company expectation", "company expectations"),
    "stage": ("level", "levels"),
    "track": ("track", "tracks"),
    "level": ("level of the ladder", "levels of the ladder"),
    "course": ("course", "courses"),
    "reading": ("reading entry", "reading entries"),
    "article": ("article", "articles"),
    "guide": ("guide", "guides"),
    "common mistake": ("common mistake", "common mistakes"),
    "source": ("source", "sources"),
    "site text": ("home page text", "home page texts"),
    "starting point": ("starting point", "starting points"),
    "question": ("/start/ question", "/start/ questions"),
    "answer option": ("/start/ answer", "/start/ answers"),
}
ACTION_ORDER = {ChangeAction.ADDED: 0, ChangeAction.CHANGED: 1, ChangeAction.RETIRED: 2}


@dataclass(frozen=True)
class ChangeLine:
    text: str
    url: str = ""  # where to see it, if anywhere


def noun(change: ContentChange, count: int) -> str:
    one, many = NOUNS.get(change.item_kind or change.model, (change.model, change.model + "s"))
    return ngettext(one, many, count)


def place(change: ContentChange) -> str:
    """ "Backend · Mid-level", "Backend", or "" for rows outside any track."""
    if change.level_name:
        return f"{change.track_name} · {change.level_name}"
    return change.track_name


def place_url(change: ContentChange) -> str:
    if change.level_slug and change.action != ChangeAction.RETIRED:
        return reverse("level", args=[change.track_slug, change.level_slug])
    if change.track_slug and not (change.model == "track" and change.action == "retired"):
        return reverse("track", args=[change.track_slug])
    return ""


def change_lines(changes: Iterable[ContentChange]) -> list[ChangeLine]:
    """One line per (action, kind, place, reworded or not), in the site's order of tracks and
    levels, additions first."""
    groups: dict[tuple, list[ContentChange]] = {}
    for change in changes:
        key = (
            change.track_name == "",
            change.track_name,
            change.level_order,
            ACTION_ORDER[change.action],
            change.model,
            change.item_kind,
            change.reworded,
        )
        groups.setdefault(key, []).append(change)
    return [_line(group) for _, group in sorted(groups.items(), key=lambda pair: pair[0])]


def _line(group: list[ContentChange]) -> ChangeLine:
    first, count = group[0], len(group)
    where = place(first)
    url = place_url(first)
    if first.model in ("stage", "track"):  # one row per place: name the place itself
        what = "level" if first.model == "stage" else "track"
        verb = {"added": f"New {what}", "changed": "Changed", "retired": f"Retired {what}"}
        return ChangeLine(f"{verb[first.action]}: {where}", url)
    what = f"{count} {noun(first, count)}"
    if first.action == ChangeAction.ADDED:
        text = f"{count} new {noun(first, count)}"
    elif first.reworded:
        text = f"{what} reworded"
    else:
        text = f"{what} {first.action}"
    if where:
        text += f" {'from' if first.action == ChangeAction.RETIRED else 'in'} {where}"
    return ChangeLine(text, url)


def ticked_lines(changes: Iterable[ContentChange]) -> list[ChangeLine]:
    """What happened to items the learner ticked: "1 criterion you ticked was reworded"."""
    groups: dict[tuple, list[ContentChange]] = {}
    for change in changes:
        if change.action == ChangeAction.ADDED:
            continue
        verb = "reworded" if change.reworded else str(change.action)
        groups.setdefault((ACTION_ORDER[change.action], change.item_kind, verb), []).append(change)
    lines = []
    for (_, _, verb), group in sorted(groups.items(), key=lambda pair: pair[0]):
        count = len(group)
        was = ngettext("was", "were", count)
        lines.append(
            ChangeLine(
                f"{count} {noun(group[0], count)} you ticked {was} {verb}", place_url(group[0])
            )
        )
    return lines


def load_title(changes: list[ContentChange]) -> str:
    """A short headline for one load: its first two lines, and how many more."""
    lines = change_lines(changes)
    if not lines:
        return "No visible changes"
    head = "; ".join(line.text for line in lines[:2])
    more = len(lines) - 2
    return head + (f"; {more} more {ngettext('change', 'changes', more)}" if more > 0 else "")
