"""Rules that span files: unique ids and slugs, references that resolve, levels in order; and the
warnings about text that contradicts the structure.

The rules read the values as written (`Document.data`), so they also check a file that broke its
schema: an editor sees a duplicate id or an unknown course in the same run as the typo next to
it. A reference into a file that could not be read at all is not checked, so one broken file does
not bury the editor under a hundred follow-on errors; nor is a field whose value the schema
already refused.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from roadmap.catalog import timeline as timeline_model
from roadmap.start.scoring import track_pick

from .errors import display_path
from .kinds import EACH_ITEM, EACH_KEY, EVERYTHING_BELOW, KINDS
from .yaml_reader import dotted

if TYPE_CHECKING:
    from .tree import ContentTree, Document

# Past this many answer combinations the /start/ check tries each track's best answers only.
MAX_COMBINATIONS = 100_000


def check_tree(tree: ContentTree) -> None:
    _unique_ids(tree)
    for kind in KINDS.values():
        if kind.list_key:
            _unique_slugs(tree, kind.name)
    _links(tree)
    _reading_namespace(tree)
    _stage_levels(tree)
    _tracks(tree)
    _timelines(tree)
    _starting_points(tree)
    _questionnaire(tree)


def warn_tree(tree: ContentTree) -> None:
    """Non-fatal findings on a valid tree: shown by validate_content, the report and the PR."""
    _entry_notes(tree)
    _same_order(tree)
    _unreachable_tracks(tree)


# --- values as written -----------------------------------------------------------------------


def _entries(tree: ContentTree, kind: str) -> list[tuple[int, dict]] | None:
    """(index, entry) for each mapping in a list file as written; None if it could not be read."""
    documents = tree.parsed_of(kind)
    if not documents:
        return None
    entries = documents[0].data.get(KINDS[kind].list_key)
    if not isinstance(entries, list):
        return None
    return [(index, entry) for index, entry in enumerate(entries) if isinstance(entry, dict)]


def slugs_of(tree: ContentTree, kind: str) -> list[str] | None:
    """The slugs of a kind, in file order, or None when they cannot all be known (an unreadable
    file or an entry without a slug): then references to the kind are not checked."""
    if kind == "track":
        return sorted(tree.track_folders)
    if kind == "article":
        return sorted(tree.article_files)
    if kind == "guide":
        return sorted(tree.guide_files)
    documents = tree.parsed_of(kind)
    entries = _entries(tree, kind)
    if entries is None or len(entries) != len(documents[0].data[KINDS[kind].list_key]):
        return None
    slugs = [entry.get("slug") for _, entry in entries]
    if not all(isinstance(slug, str) for slug in slugs):
        return None
    key = KINDS[kind].list_key
    refused = documents[0].error_fields
    if any(f"{key}[{index}].slug" in refused for index, _ in entries):
        return None  # a slug the schema refused: a reference to it is not a second problem
    return slugs


def _resolve(value: object, path: tuple[str, ...], at: tuple = ()):
    """Every (string value, its path) found at `path` in `value` (see kinds.Link)."""
    if not path:
        if isinstance(value, str):
            yield value, at
        return
    step, rest = path[0], path[1:]
    if step == EVERYTHING_BELOW:
        if isinstance(value, str):
            yield value, at
        elif isinstance(value, list | dict):
            children = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in children:
                yield from _resolve(child, path, (*at, key))
    elif step == EACH_ITEM:
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _resolve(item, rest, (*at, index))
    elif step == EACH_KEY:
        if isinstance(value, dict):
            for key in value:
                yield from _resolve(key, rest, (*at, key))
    elif isinstance(value, dict) and step in value:
        yield from _resolve(value[step], rest, (*at, step))


# --- errors ----------------------------------------------------------------------------------


def _walk_ids(document: Document):
    """Every (id, field path) in a document: the file's own id and every list item's."""

    def walk(value, path):
        if isinstance(value, dict):
            if isinstance(value.get("id"), str):
                yield value["id"], path + ("id",)
            for key, child in value.items():
                yield from walk(child, path + (key,))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                yield from walk(child, path + (index,))

    yield from walk(document.data, ())


def _unique_ids(tree: ContentTree) -> None:
    first_seen: dict[str, tuple[Document, tuple]] = {}
    for document in tree.parsed:
        for item_id, path in _walk_ids(document):
            if item_id in first_seen:
                other, other_path = first_seen[item_id]
                where = f"{display_path(other.path)}:{other.located.line_of(other_path)}"
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
    entries = _entries(tree, kind)
    if not entries:
        return
    document, key = tree.parsed_of(kind)[0], KINDS[kind].list_key
    seen: dict[str, int] = {}
    for index, entry in entries:
        slug = entry.get("slug")
        if not isinstance(slug, str):
            continue
        if slug in seen:
            _error(
                tree,
                document,
                (key, index, "slug"),
                f"duplicate slug `{slug}` (also {key}[{seen[slug]}])",
            )
        seen.setdefault(slug, index)


def _links(tree: ContentTree) -> None:
    """Every reference by slug (the `links` of each kind) names an existing entry."""
    known: dict[str, set[str] | None] = {}
    for kind in KINDS.values():
        for link in kind.links:
            for target in link.targets:
                if target not in known:
                    slugs = slugs_of(tree, target)
                    known[target] = None if slugs is None else set(slugs)
            if any(known[target] is None for target in link.targets):
                continue
            everything = set().union(*(known[target] for target in link.targets))
            target = KINDS[link.targets[0]]
            where = " or ".join(KINDS[name].where for name in link.targets)
            for document in tree.parsed_of(kind.name):
                for slug, path in _resolve(document.data, link.path):
                    if slug not in everything:
                        _error(
                            tree,
                            document,
                            path,
                            f"unknown {target.noun} `{slug}` (not in {where})",
                        )


def _reading_namespace(tree: ContentTree) -> None:
    """Stages list reading by slug, and our own articles count as reading, so slugs are shared."""
    for index, entry in _entries(tree, "reading") or []:
        slug = entry.get("slug")
        if isinstance(slug, str) and slug in tree.article_files:
            _error(
                tree,
                tree.parsed_of("reading")[0],
                ("reading", index, "slug"),
                f"slug `{slug}` is also an article (articles/{slug}.md); rename one",
            )


def _level_order(tree: ContentTree) -> dict[str, int] | None:
    slugs = slugs_of(tree, "levels")
    return None if slugs is None else {slug: n for n, slug in enumerate(slugs)}


def _stage_levels(tree: ContentTree) -> None:
    """A stage file is named after a level."""
    level_order = _level_order(tree)
    if level_order is None:
        return
    for stage in tree.parsed_of("stage"):
        if stage.path.stem not in level_order:
            _error(
                tree,
                stage,
                (),
                f"unknown level `{stage.path.stem}` (the file name must be one of: "
                f"{', '.join(level_order)})",
            )


def _tracks(tree: ContentTree) -> None:
    level_order = _level_order(tree)
    if not level_order:
        return
    first_level = next(iter(level_order))
    for track in tree.parsed_of("track"):
        data, track_slug = track.data, track.path.parent.name
        entry_level = data.get("entry_level")
        if data.get("builds_on") == track_slug:
            _error(tree, track, ("builds_on",), "a track cannot build on itself")
        if not isinstance(entry_level, str) or entry_level not in level_order:
            continue  # an unknown level is reported as a link
        present = sorted(tree.stage_files.get(track_slug, ()), key=lambda s: level_order.get(s, 99))
        if present and present[0] in level_order and present[0] != entry_level:
            _error(
                tree,
                track,
                ("entry_level",),
                f"is `{entry_level}` but the track's first stage file is `{present[0]}.yaml`",
            )
        if entry_level != first_level and not data.get("entry_note"):
            _error(
                tree,
                track,
                ("entry_level",),
                "a track that does not start at the first level needs an `entry_note` saying why",
            )


def _timelines(tree: ContentTree) -> None:
    """Each track's total computed by the timeline model places its levels and agrees with the
    figure the track states (within the model's tolerance)."""
    levels = _entries(tree, "levels")
    level_order = _level_order(tree)
    if not levels or level_order is None:
        return
    names = {entry.get("slug"): entry.get("name") for _, entry in levels}
    for track_slug, track in tree.tracks.items():
        stages = tree.stages.get(track_slug, {})
        if set(stages) != set(tree.stage_files.get(track_slug, ())):
            continue  # a stage file that broke its schema is reported on its own
        timeline = track.model.timeline.model_dump(by_alias=True)
        named = [timeline["from"], timeline["to"], *(e["after"] for e in timeline["extras"])]
        if any(slug is not None and slug not in level_order for slug in named):
            continue  # an unknown level is reported as a link
        places = [
            timeline_model.Place(
                level, names.get(level) or level, _duration_span(stages[level].model.duration)
            )
            for level in sorted(stages, key=lambda level: level_order.get(level, 99))
        ]
        try:
            road = timeline_model.road(places, timeline)
        except timeline_model.TimelineError as exc:
            _error(tree, track, exc.key, str(exc))
            continue
        stated = _duration_span(track.model.stated)
        problem = timeline_model.disagreement(stated, road.total)
        if problem:
            _error(
                tree,
                track,
                ("stated",),
                f"states {stated.label} but the timeline model computes {road.total.label} "
                f"({road.covers}: {road.study.label} of stages plus the extras); {problem}. "
                "Change `stated:`, the stages' durations or `timeline.extras`",
            )


def _duration_span(duration) -> timeline_model.Span:
    return timeline_model.stated_span(duration.min, duration.max, duration.unit)


def _starting_points(tree: ContentTree) -> None:
    for site in tree.parsed_of("site"):
        points = site.data.get("starting_points")
        for index, point in enumerate(points if isinstance(points, list) else []):
            if not isinstance(point, dict):
                continue
            track, level = point.get("track"), point.get("level")
            where = ("starting_points", index, "level")
            if track and track not in tree.track_folders:
                continue  # an unknown track is reported as a link
            if level and not track:
                _error(tree, site, where, "a level needs a `track` too")
            elif level and level not in tree.stage_files.get(track, ()):
                _error(tree, site, where, f"track `{track}` has no `{level}` stage")


def _questionnaire(tree: ContentTree) -> None:
    """Answers to one question have different slugs (the answer travels in the URL by slug)."""
    for document in tree.parsed_of("questionnaire"):
        for q, question in _entries(tree, "questionnaire") or []:
            options = question.get("options")
            seen: set[str] = set()
            for o, option in enumerate(options if isinstance(options, list) else []):
                slug = option.get("slug") if isinstance(option, dict) else None
                if not isinstance(slug, str):
                    continue
                if slug in seen:
                    where = ("questions", q, "options", o, "slug")
                    _error(tree, document, where, f"duplicate slug `{slug}`")
                seen.add(slug)


def _error(tree: ContentTree, document: Document, path: tuple, message: str) -> None:
    field = dotted(path)
    if field and field in document.error_fields:
        return  # the schema already refused this value; one message is enough
    tree.error(document.path, document.located.line_of(path), field, message)


# --- warnings --------------------------------------------------------------------------------


def _warn(tree: ContentTree, document: Document, path: tuple, message: str) -> None:
    tree.warn(document.path, document.located.line_of(path), dotted(path), message)


def _entry_notes(tree: ContentTree) -> None:
    """An `entry_note` says why a track starts above the first level; once the track has a stage
    at the first level, the note contradicts the page it is shown on — unless it points the
    learner at that stage ("the Beginner stage below is your on-ramp"), naming it."""
    levels = tree.items("levels")
    if not levels:
        return
    first = levels[0]
    for slug, track in tree.tracks.items():
        note = track.model.entry_note or ""
        names_the_stage = f"{first.name} stage".lower() in note.lower()
        if note and not names_the_stage and first.slug in tree.stages.get(slug, {}):
            _warn(
                tree,
                track,
                ("entry_note",),
                f"explains why the track starts above {first.name}, but it has "
                f"tracks/{slug}/{first.slug}.yaml; delete or rewrite the note",
            )


def _same_order(tree: ContentTree) -> None:
    """Two tracks with one `order` are listed in an order nobody chose."""
    by_order: dict[int, str] = {}
    for slug, track in sorted(tree.tracks.items()):
        order = track.model.order
        if order in by_order:
            _warn(
                tree,
                track,
                ("order",),
                f"{order} is also the order of tracks/{by_order[order]}/track.yaml; "
                "give each track its own number",
            )
        by_order.setdefault(order, slug)


def _unreachable_tracks(tree: ContentTree) -> None:
    """A track that no combination of /start/ answers recommends is missing from the scores."""
    document = tree.top.get("questionnaire")
    tracks = {slug: t.model.order for slug, t in tree.tracks.items() if tree.stages.get(slug)}
    if not document or not tracks:
        return
    questions = [list(q.options) for q in document.model.questions]
    for slug, track in sorted(tree.tracks.items()):
        if slug in tracks and not _can_win(slug, tracks, questions):
            _warn(
                tree,
                track,
                (),
                f"no set of /start/ answers recommends this track; give it points in some "
                f"answers' `scores` in questionnaire.yaml, like `scores: {{{slug}: 3}}`",
            )


def _can_win(track: str, orders: dict[str, int], questions: list[list]) -> bool:
    """Whether some answer to each question makes `track` the recommendation (as
    roadmap/start/scoring.py decides for the page)."""

    def wins(choice) -> bool:
        return track_pick(orders, choice)[0] == track

    size = 1
    for options in questions:
        size *= len(options)
    if size <= MAX_COMBINATIONS:
        return any(wins(choice) for choice in itertools.product(*questions))

    # Too many to try: each question's answer that most favors the track over its best rival.
    def margin(option) -> tuple[bool, int]:
        scores = option.scores
        rivals = [scores.get(slug, 0) for slug in orders if slug != track]
        fits = not option.serves or track in option.serves
        return fits, scores.get(track, 0) - max(rivals, default=0)

    return wins([max(options, key=margin) for options in questions])
