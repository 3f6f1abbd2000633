"""Editorial quality checks that `content_report --strict` enforces (issue 12).

The schema makes sure every file has the right shape; these rules are about whether the
learning path is any good to read:

- a stage lists at most `COURSE_LIMIT` courses and `READING_LIMIT` reading entries, unless its
  file says why it needs more (`more_because:`), because a long list is tutorial hell by another
  name;
- every course and reading entry a stage lists carries the label of its use there (start here,
  pick one, go deeper), and a "pick one" group offers a real choice (two or more);
- no sentence appears word for word in two stages: each stage should speak for itself.

`effort` and `kind` are required by the schema itself, so a file without them never gets here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .tree import ContentTree

COURSE_LIMIT = 3
READING_LIMIT = 5
LIMITS = {"courses": COURSE_LIMIT, "reading": READING_LIMIT}
# Sections whose text is prose a reader sees; projects add their `title` and `teaches`.
TEXT_SECTIONS = ("skills", "ready_when", "mistakes", "expectations")
MIN_WORDS = 5  # shorter sentences ("Version control.") may repeat without being boilerplate

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def quality_problems(tree: ContentTree) -> list[str]:
    """Every problem, one line each, as `track/level: what is wrong`."""
    problems: list[str] = []
    for track, level, stage in _stages(tree):
        where = f"{track}/{level}"
        for kind, limit in LIMITS.items():
            resources = getattr(stage, kind)
            if len(resources) > limit and not resources.more_because:
                problems.append(
                    f"{where}: {len(resources)} {kind} entries, the limit is {limit}; "
                    "remove some, or say why in `more_because:`"
                )
            if resources.unlabelled:
                problems.append(
                    f"{where}: {kind} without a label: {', '.join(resources.unlabelled)}; "
                    "list each under start_here, pick_one or go_deeper"
                )
            if len(resources.pick_one) == 1:
                problems.append(
                    f"{where}: {kind} pick_one has only `{resources.pick_one[0]}`; "
                    "a choice needs two or more (or make it start_here)"
                )
    problems += _repeated_sentences(tree)
    return problems


def _stages(tree: ContentTree):
    levels = [level.slug for level in tree.items("levels")]
    for track in sorted(tree.tracks, key=lambda slug: tree.tracks[slug].model.order):
        stages = tree.stages.get(track, {})
        for level in sorted(stages, key=lambda s: levels.index(s) if s in levels else 99):
            yield track, level, stages[level].model


def _repeated_sentences(tree: ContentTree) -> list[str]:
    first_seen: dict[str, str] = {}  # comparison key -> the stage that said it first
    repeated: dict[str, tuple[str, list[str]]] = {}  # key -> (sentence, every stage saying it)
    for track, level, stage in _stages(tree):
        where = f"{track}/{level}"
        own = {key: sentence for text in _texts(stage) for key, sentence in _sentences(text)}
        for key, sentence in own.items():
            seen = first_seen.setdefault(key, where)
            if seen != where:
                repeated.setdefault(key, (sentence, [seen]))[1].append(where)
    return [
        f'{places[-1]}: sentence also in {", ".join(places[:-1])}: "{sentence}"; '
        "write it for this stage"
        for sentence, places in repeated.values()
    ]


def _texts(stage) -> list[str]:
    texts = [stage.summary]
    for section in TEXT_SECTIONS:
        texts += [item.text for item in getattr(stage, section)]
    for project in stage.projects:
        texts += [project.title, project.teaches]
    return texts


def _sentences(text: str):
    """(comparison key, sentence) for each sentence long enough to count."""
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        key = sentence.strip().rstrip(".!?").lower()
        if len(key.split()) >= MIN_WORDS:
            yield key, sentence.strip()
