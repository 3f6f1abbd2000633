"""`export_content`: write the database back into content files, ready for a pull request.

A file whose data the database still agrees with is copied byte for byte; a file that differs is
updated in place with ruamel.yaml's round-trip mode, so comments, key order and quoting survive
and the pull request shows only the fields an admin changed. Retired rows are left out, as they
are gone from the files.
"""

import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Prefetch
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from roadmap.catalog import models as m

from .fixer import content_files
from . import schema
from .front_matter import FrontMatterError, split_front_matter
from .kinds import KINDS
from .loader import SITE_ID, STAGE_SECTIONS
from .tree import FRONT_MATTER, schema_comment
from .yaml_reader import YamlError, parse


@dataclass
class ExportResult:
    written: list[Path] = field(default_factory=list)  # files whose content changed
    removed: list[Path] = field(default_factory=list)  # files no live row maps to any more
    unchanged: int = 0


def content_export(*, source: Path, target: Path) -> ExportResult:
    """Write every file the database describes into `target`, starting from `source`'s files."""
    result = ExportResult()
    files = _files_from_database()
    in_place = source.resolve() == target.resolve()
    if not in_place:
        for extra in ("README.md", "schema"):
            _copy(source / extra, target / extra)
    for relative, (kind, data, body) in files.items():
        original, destination = source / relative, target / relative
        text = _render(original, kind, data, body, source)
        if original.exists() and text == original.read_text(encoding="utf-8"):
            result.unchanged += 1
        else:
            result.written.append(destination)
        if text != (destination.read_text(encoding="utf-8") if destination.exists() else None):
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8")
    for path, _ in content_files(source):
        relative = path.relative_to(source)
        if str(relative) not in files:
            result.removed.append(path)
            if in_place:
                path.unlink()
    return result


def _copy(source: Path, destination: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, destination, dirs_exist_ok=True)
    elif source.exists():
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)


# --- what the database says, file by file ------------------------------------------------------


def _files_from_database() -> dict[str, tuple[str, dict, str | None]]:
    """{relative path: (kind, data, markdown body or None)} for every live row."""
    files: dict[str, tuple[str, dict, str | None]] = {}
    live = {"retired": False}
    site = m.SiteText.objects.filter(content_id=SITE_ID, **live).first()
    if site:
        points = m.StartingPoint.objects.filter(**live).select_related("track", "level")
        files["site.yaml"] = ("site", _site(site, points), None)
    lists = {
        "levels": (m.Level, ("slug", "name", "meaning")),
        "sources": (m.Source, ("slug", "name", "url")),
        "courses": (m.Course, ("slug", "title", "provider", "summary", "url", "cost")),
        "reading": (m.Reading, ("slug", "title", "author", "summary", "url", "cost")),
        "mistakes": (m.CommonMistake, ("slug", "title", "body")),
    }
    for kind, (model, keys) in lists.items():
        rows = model.objects.filter(**live)
        entries = [_with_resource_facts(row, _pick(row, keys)) for row in rows]
        files[f"{kind}.yaml"] = (kind, {kind: entries}, None)
    for row in m.Article.objects.filter(**live):
        files[f"articles/{row.slug}.md"] = ("article", _pick(row, ("title", "summary")), row.body)
    for row in m.Guide.objects.filter(**live):
        data = _pick(row, ("title", "summary", "order"))
        files[f"guides/{row.slug}.md"] = ("guide", data, row.body)
    questions = m.Question.objects.filter(**live).prefetch_related(
        Prefetch(
            "options",
            queryset=m.AnswerOption.objects.filter(**live).select_related("level"),
            to_attr="live_options",
        )
    )
    files["questionnaire.yaml"] = ("questionnaire", _questionnaire(questions), None)
    for track in m.Track.objects.filter(**live).select_related("entry_level"):
        files[f"tracks/{track.slug}/track.yaml"] = ("track", _track(track), None)
    stages = (
        m.Stage.objects.filter(**live)
        .select_related("track", "level", "source")
        .prefetch_related(
            Prefetch("items", queryset=m.StageItem.objects.filter(**live), to_attr="live_items"),
            Prefetch("course_links", queryset=m.StageCourse.objects.select_related("course")),
            Prefetch(
                "reading_links",
                queryset=m.StageReading.objects.select_related("reading", "article"),
            ),
        )
    )
    for stage in stages:
        files[f"tracks/{stage.track.slug}/{stage.level.slug}.yaml"] = ("stage", _stage(stage), None)
    return files


def _pick(row, keys: tuple[str, ...]) -> dict:
    return {"id": row.content_id, **{key: getattr(row, key) for key in keys}}


def _number(value):
    """Decimal(4.0) is written as 4 and Decimal(2.5) as 2.5, as an editor would type them."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def _duration(row) -> dict:
    data = {"min": _number(row.duration_min), "max": _number(row.duration_max)}
    return _without_none({**data, "unit": row.duration_unit})


def _without_none(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


def _site(site, points) -> dict:
    data = {key: getattr(site, key) for key in m.SiteText.FILE_FIELDS}
    data["starting_points"] = [
        _without_none(
            {
                "id": point.content_id,
                "title": point.title,
                "who": point.who,
                "leads_to": point.leads_to,
                "track": point.track.slug if point.track else None,
                "level": point.level.slug if point.level else None,
            }
        )
        for point in points
    ]
    return data


def _track(track) -> dict:
    return _without_none(
        {
            "id": track.content_id,
            "name": track.name,
            "order": track.order,
            "pitch": track.pitch,
            "duration": _duration(track),
            "duration_note": track.duration_note,
            "entry_level": track.entry_level.slug,
            "entry_note": track.entry_note or None,
            "builds_on": track.builds_on or None,
        }
    )


def _questionnaire(questions) -> dict:
    return {
        "questions": [
            _without_none(
                {
                    "id": question.content_id,
                    "slug": question.slug,
                    "text": question.text,
                    "help": question.help or None,
                    "options": [
                        _without_none(
                            {
                                "id": option.content_id,
                                "slug": option.slug,
                                "label": option.label,
                                "reason": option.reason,
                                "level": option.level.slug if option.level else None,
                                "scores": option.scores or None,
                            }
                        )
                        for option in question.live_options
                    ],
                }
            )
            for question in questions
        ]
    }


def _stage(stage) -> dict:
    by_kind: dict[str, list] = {key: [] for key in STAGE_SECTIONS}
    key_of = {kind: key for key, kind in STAGE_SECTIONS.items()}
    for item in sorted(stage.live_items, key=lambda item: item.order):
        key = key_of[item.kind]
        if key == "projects":
            entry = {"id": item.content_id, "title": item.text, "teaches": item.teaches}
        else:
            entry = {"id": item.content_id, "text": item.text}
        by_kind[key].append(entry)
    reading = _grouped(
        (((link.reading or link.article).slug, link.label) for link in stage.reading_links.all()),
        stage.reading_more_because,
    )
    return _without_none(
        {
            "id": stage.content_id,
            "duration": _duration(stage),
            "source": stage.source.slug if stage.source else None,
            "summary": stage.summary,
            "skills": by_kind["skills"],
            "ready_when": by_kind["ready_when"],
            "projects": by_kind["projects"],
            "courses": _grouped(
                ((link.course.slug, link.label) for link in stage.course_links.all()),
                stage.courses_more_because,
            ),
            "reading": reading,
            "mistakes": by_kind["mistakes"],
            "expectations": by_kind["expectations"],
        }
    )


# --- resources (issue 12): kind and effort of an entry, a stage's labelled groups --------------


def _with_resource_facts(row, data: dict) -> dict:
    if not isinstance(row, m.ResourceFacts):
        return data
    effort = {"min": _number(row.effort_min), "max": _number(row.effort_max)}
    return {**data, "kind": row.kind, "effort": effort}


def _grouped(links, more_because: str) -> dict | list:
    """`{start_here: [...], pick_one: [...], ...}`, or the plain list of an unlabelled draft."""
    links = list(links)
    if any(not label for _, label in links) and not more_because:
        return [slug for slug, _ in links]
    groups: dict[str, list[str]] = {}
    for slug, label in links:
        groups.setdefault(label or "unlabelled", []).append(slug)
    order = (*schema.RESOURCE_LABELS, "unlabelled")
    found = {label: groups[label] for label in order if label in groups}
    return {**found, "more_because": more_because} if more_because else found


# --- writing a file ---------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long line the editor wrote on one line
    yaml.preserve_quotes = True
    return yaml


def _render(original: Path, kind: str, data: dict, body: str | None, root: Path) -> str:
    """The file's new text: the original when the database agrees with it, else an update."""
    markdown = body is not None
    old_text = original.read_text(encoding="utf-8") if original.exists() else ""
    old_yaml, old_body = _split(old_text) if markdown else (old_text, None)
    if old_text and _same(kind, old_yaml, data) and (not markdown or old_body == body):
        return old_text
    yaml = _yaml()
    document = yaml.load(old_yaml) if old_yaml.strip() else None
    document = _merge(document, data)
    out = io.StringIO()
    yaml.dump(document, out)
    text = out.getvalue()
    comment = schema_comment(kind, root / original.relative_to(root), root)
    if not text.startswith(comment):
        text = f"{comment}\n{text}"
    if markdown:
        return f"{FRONT_MATTER}\n{text}{FRONT_MATTER}\n{body}\n"
    return text


def _split(text: str) -> tuple[str, str | None]:
    try:
        parts = split_front_matter(text)
    except FrontMatterError:
        return "", None
    return parts.yaml, parts.body.strip("\n")


def _same(kind: str, old_yaml: str, data: dict) -> bool:
    """Whether the file already says what the database says (compared as validated models)."""
    model = KINDS[kind].schema
    try:
        return model.model_validate(parse(old_yaml).data) == model.model_validate(data)
    except (YamlError, ValueError):
        return False


def _merge(old, new):
    """Update a round-trip YAML value in place so it equals `new`, keeping what can be kept."""
    if isinstance(new, dict):
        if not isinstance(old, CommentedMap):
            old = CommentedMap()
        for key in [key for key in old if key not in new]:
            del old[key]
        for position, (key, value) in enumerate(new.items()):
            if key in old:
                old[key] = _merge(old[key], value)
            else:
                old.insert(min(position, len(old)), key, _merge(None, value))
        return old
    if isinstance(new, list):
        if not isinstance(old, CommentedSeq):
            old = CommentedSeq()
        by_id = {item.get("id"): item for item in old if isinstance(item, CommentedMap)}
        merged = [
            _merge(by_id.get(item.get("id")) if isinstance(item, dict) else None, item)
            for item in new
        ]
        if list(old) != merged:
            del old[:]
            old.extend(merged)
        return old
    # Keep the old scalar (and so its quoting or folding) when its value is unchanged.
    return old if isinstance(old, type(new)) and old == new else new
