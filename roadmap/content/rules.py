"""Rules that span files: unique ids and slugs, references that resolve, levels in order.

A reference into a file that itself failed to parse is not checked, so one broken file does not
bury the editor under a hundred follow-on errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import display_path
from .yaml_reader import dotted

if TYPE_CHECKING:
    from .tree import ContentTree, Document


_NOUN = {"courses": "course", "reading": "reading"}


def check_tree(tree: ContentTree) -> None:
    _unique_ids(tree)
    for kind in ("levels", "sources", "courses", "mistakes"):
        _unique_slugs(tree, kind)
    _reading_namespace(tree)
    _tracks(tree)
    _starting_points(tree)
    _questionnaire(tree)


def _walk_ids(document: Document):
    """Every (id, field path) in a document: the file's own id and every list item's."""
    data = document.located.data

    def walk(value, path):
        if isinstance(value, dict):
            if isinstance(value.get("id"), str):
                yield value["id"], path + ("id",)
            for key, child in value.items():
                yield from walk(child, path + (key,))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                yield from walk(child, path + (index,))

    yield from walk(data, ())


def _unique_ids(tree: ContentTree) -> None:
    first_seen: dict[str, tuple[Document, tuple]] = {}
    for document in tree.documents:
        for item_id, path in _walk_ids(document):
            if item_id in first_seen:
                other, other_path = first_seen[item_id]
                where = f"{_rel(tree, other)}:{other.located.line_of(other_path)}"
                _error(
                    tree,
                    document,
                    path,
                    f"duplicate id `{item_id}` (also at {where}); "
                    "delete this id and run `python manage.py content_fix`",
                )
            else:
                first_seen[item_id] = (document, path)


def _unique_slugs(tree: ContentTree, kind: str) -> None:
    document = tree.top.get(kind)
    if not document:
        return
    seen: dict[str, int] = {}
    for index, entry in enumerate(getattr(document.model, kind)):
        if entry.slug in seen:
            _error(
                tree,
                document,
                (kind, index, "slug"),
                f"duplicate slug `{entry.slug}` (also {kind}[{seen[entry.slug]}])",
            )
        seen.setdefault(entry.slug, index)


def _reading_namespace(tree: ContentTree) -> None:
    """Stages list reading by slug, and our own articles count as reading, so slugs are shared."""
    _unique_slugs(tree, "reading")
    document = tree.top.get("reading")
    if not document:
        return
    for index, entry in enumerate(document.model.reading):
        if entry.slug in tree.articles:
            _error(
                tree,
                document,
                ("reading", index, "slug"),
                f"slug `{entry.slug}` is also an article (articles/{entry.slug}.md); rename one",
            )


def _tracks(tree: ContentTree) -> None:
    levels_doc = tree.top.get("levels")
    level_order = {level.slug: n for n, level in enumerate(tree.items("levels"))}
    known = {kind: {entry.slug for entry in tree.items(kind)} for kind in ("sources", "courses")}
    known["reading"] = {entry.slug for entry in tree.items("reading")} | tree.article_files
    for stages in tree.stages.values():
        for level, stage in stages.items():
            if levels_doc and level not in level_order:
                _error(
                    tree,
                    stage,
                    (),
                    f"unknown level `{level}` (the file name must be one of: "
                    f"{', '.join(level_order)})",
                )
            model = stage.model
            if model.source and "sources" in tree.top and model.source not in known["sources"]:
                _error(
                    tree,
                    stage,
                    ("source",),
                    f"unknown source `{model.source}` (not in sources.yaml)",
                )
            for kind in ("courses", "reading"):
                if kind not in tree.top:
                    continue
                for place, slug, _label in getattr(model, kind).refs():
                    if slug not in known[kind]:
                        where = "reading.yaml or articles/" if kind == "reading" else "courses.yaml"
                        _error(
                            tree,
                            stage,
                            (kind, *place),
                            f"unknown {_NOUN[kind]} `{slug}` (not in {where})",
                        )
    for track_slug, track in tree.tracks.items():
        model = track.model
        if not levels_doc:
            continue
        if model.entry_level not in level_order:
            _error(tree, track, ("entry_level",), f"unknown level `{model.entry_level}`")
            continue
        present = sorted(tree.stage_files.get(track_slug, ()), key=lambda s: level_order.get(s, 99))
        if present and present[0] in level_order and present[0] != model.entry_level:
            _error(
                tree,
                track,
                ("entry_level",),
                f"is `{model.entry_level}` but the track's first stage file is `{present[0]}.yaml`",
            )
        if model.builds_on == track_slug:
            _error(tree, track, ("builds_on",), "a track cannot build on itself")
        elif model.builds_on and model.builds_on not in tree.track_folders:
            _error(tree, track, ("builds_on",), f"unknown track `{model.builds_on}`")
        first_level = next(iter(level_order))
        if model.entry_level != first_level and not model.entry_note:
            _error(
                tree,
                track,
                ("entry_level",),
                "a track that does not start at the first level needs an `entry_note` saying why",
            )


def _starting_points(tree: ContentTree) -> None:
    site = tree.top.get("site")
    if not site:
        return
    for index, point in enumerate(site.model.starting_points):
        if point.track and point.track not in tree.track_folders:
            _error(
                tree, site, ("starting_points", index, "track"), f"unknown track `{point.track}`"
            )
        elif point.level and not point.track:
            _error(tree, site, ("starting_points", index, "level"), "a level needs a `track` too")
        elif point.level and point.level not in tree.stage_files.get(point.track, ()):
            _error(
                tree,
                site,
                ("starting_points", index, "level"),
                f"track `{point.track}` has no `{point.level}` stage",
            )


def _questionnaire(tree: ContentTree) -> None:
    document = tree.top.get("questionnaire")
    if not document:
        return
    levels = {level.slug for level in tree.items("levels")}
    seen_questions: set[str] = set()
    for q, question in enumerate(document.model.questions):
        if question.slug in seen_questions:
            _error(tree, document, ("questions", q, "slug"), f"duplicate slug `{question.slug}`")
        seen_questions.add(question.slug)
        seen_options: set[str] = set()
        for o, option in enumerate(question.options):
            where = ("questions", q, "options", o)
            if option.slug in seen_options:
                _error(tree, document, (*where, "slug"), f"duplicate slug `{option.slug}`")
            seen_options.add(option.slug)
            if option.level and "levels" in tree.top and option.level not in levels:
                _error(tree, document, (*where, "level"), f"unknown level `{option.level}`")
            for track in option.scores:
                if track not in tree.track_folders:
                    _error(tree, document, (*where, "scores", track), f"unknown track `{track}`")


def _error(tree: ContentTree, document: Document, path: tuple, message: str) -> None:
    tree.error(document.path, document.located.line_of(path), dotted(path), message)


def _rel(tree: ContentTree, document: Document) -> str:
    return display_path(document.path)
