"""Completeness of the learning path: items per section for every stage, read from the files,
the number of entries of every content kind, and the warnings of the validator."""

from dataclasses import dataclass, field

from .errors import ContentError
from .kinds import KINDS
from .quality import quality_problems
from .tree import ContentTree

SECTIONS = ("skills", "ready_when", "projects", "courses", "reading", "mistakes", "expectations")


@dataclass
class StageCounts:
    track: str
    level: str
    counts: dict[str, int]

    @property
    def empty(self) -> list[str]:
        return [section for section, count in self.counts.items() if count == 0]


@dataclass
class Report:
    stages: list[StageCounts] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # entries per kind, by `plural` label
    warnings: list[ContentError] = field(default_factory=list)
    quality: list[str] = field(default_factory=list)  # see quality.py

    @property
    def totals(self) -> dict[str, int]:
        return {s: sum(stage.counts[s] for stage in self.stages) for s in SECTIONS}


def content_report(tree: ContentTree) -> Report:
    report = Report()
    level_order = [level.slug for level in tree.items("levels")]
    for track in sorted(tree.tracks, key=lambda slug: tree.tracks[slug].model.order):
        stages = tree.stages.get(track, {})
        if not stages:
            report.problems.append(f"{track}: the track has no stages")
        for level in sorted(stages, key=lambda s: level_order.index(s) if s in level_order else 99):
            model = stages[level].model
            counts = {section: len(getattr(model, section)) for section in SECTIONS}
            stage = StageCounts(track, level, counts)
            report.stages.append(stage)
            report.problems += [f"{track}/{level}: no {section}" for section in stage.empty]
    report.counts = {
        kind.plural: _count(tree, kind.name)
        for kind in KINDS.values()
        if kind.list_key or not kind.top_level  # site.yaml is texts, not entries
    }
    report.warnings = list(tree.warnings)
    report.quality = quality_problems(tree)
    return report


def _count(tree: ContentTree, kind: str) -> int:
    """How many entries of a kind the files hold (one per file, or one per list entry)."""
    if KINDS[kind].list_key:
        return len(tree.items(kind))
    return len([document for document in tree.documents if document.kind == kind])
