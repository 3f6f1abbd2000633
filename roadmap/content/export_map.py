"""Where each catalogue model's columns live in the content files, and how values convert.

The loader goes files -> rows; this map is the way back. The exporter writes admin edits through
it, and the admin forms validate through it (by building the entry a file would hold and running
the files' own pydantic schema over it), so all three agree on which key holds which column.

Some columns are not values an editor types but say *where* a row is: its file (a stage's track
and level, an article's slug), its section (an item's kind) or its place in a list (`order` of
list entries). Those are `PLACED` here; the admin shows them read-only and export never writes
them for an existing row.
"""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel

from roadmap.catalog import models as m

from . import schema

# Field kinds: how a column's value looks in a file.
TEXT = "text"  # a string, required
OPTIONAL = "optional"  # a string; "" in the database is a missing key in the file
NUMBER = "number"  # Decimal or int in the database, 4 or 2.5 in the file
LINK = "link"  # a foreign key in the database, the target's slug in the file (missing: None)
SLUGS = "slugs"  # a stage's course or reading list: [[slug, label], ...] in the database
SCORES = "scores"  # an answer's {track slug: points}; {} is a missing key
BODY = "body"  # a Markdown file's text after the front matter
PLACED = "placed"  # where the row is (file, section, position): not written for existing rows


@dataclass(frozen=True)
class Field:
    column: str  # the model's FILE_FIELDS name (or "courses"/"reading" for stage links)
    key: tuple[str, ...]  # the key path inside the row's mapping in the file
    kind: str = TEXT
    target: type | None = None  # LINK: the model whose slug the file names


@dataclass(frozen=True)
class RowMap:
    model: type
    schema: type[BaseModel]  # the pydantic model that checks this row's mapping in its file
    fields: tuple[Field, ...]
    list_key: str = ""  # the list that holds the rows ("" for a row that is a whole file)

    def field(self, column: str) -> Field | None:
        return next((f for f in self.fields if f.column == column), None)


def _f(spec: str, kind: str = TEXT, target: type | None = None) -> Field:
    """`"summary"`, or `"duration_min=duration.min"` when the key differs from the column."""
    column, _, key = spec.partition("=")
    return Field(column, tuple((key or column).split(".")), kind, target)


def _texts(names: str) -> tuple[Field, ...]:
    return tuple(_f(name) for name in names.split())


_DURATION = (
    _f("duration_min=duration.min", NUMBER),
    _f("duration_max=duration.max", NUMBER),
    _f("duration_unit=duration.unit"),
)
_POSITION = _f("order", PLACED)
_RESOURCE_FACTS = (
    _f("kind"),
    _f("effort_min=effort.min", NUMBER),
    _f("effort_max=effort.max", NUMBER),
)

ROW_MAPS: dict[type, RowMap] = {
    m.Level: RowMap(m.Level, schema.LevelEntry, (*_texts("slug name meaning"), _POSITION), "levels"),
    m.Source: RowMap(m.Source, schema.SourceEntry, (*_texts("slug name url"), _POSITION), "sources"),
    m.Course: RowMap(
        m.Course,
        schema.CourseEntry,
        (*_texts("slug title provider summary url cost"), *_RESOURCE_FACTS, _POSITION),
        "courses",
    ),
    m.Reading: RowMap(
        m.Reading,
        schema.ReadingEntry,
        (*_texts("slug title author summary url cost"), *_RESOURCE_FACTS, _POSITION),
        "reading",
    ),
    m.CommonMistake: RowMap(
        m.CommonMistake, schema.MistakeEntry, (*_texts("slug title body"), _POSITION), "mistakes"
    ),
    m.SiteText: RowMap(m.SiteText, schema.SiteFile, _texts(" ".join(m.SiteText.FILE_FIELDS))),
    m.StartingPoint: RowMap(
        m.StartingPoint,
        schema.StartingPoint,
        (
            *_texts("title who leads_to"),
            _f("track_id=track", LINK, m.Track),
            _f("level_id=level", LINK, m.Level),
            _POSITION,
        ),
        "starting_points",
    ),
    m.Question: RowMap(
        m.Question,
        schema.Question,
        (*_texts("slug text"), _f("help", OPTIONAL), _POSITION),
        "questions",
    ),
    m.AnswerOption: RowMap(
        m.AnswerOption,
        schema.AnswerOption,
        (
            _f("question_id", PLACED),
            *_texts("slug label reason"),
            _f("level_id=level", LINK, m.Level),
            _f("scores", SCORES),
            _POSITION,
        ),
        "options",
    ),
    m.Track: RowMap(
        m.Track,
        schema.TrackFile,
        (
            _f("slug", PLACED),  # the folder name
            _f("name"),
            _f("order", NUMBER),
            _f("pitch"),
            *_DURATION,
            _f("duration_note"),
            _f("entry_level_id=entry_level", LINK, m.Level),
            _f("entry_note", OPTIONAL),
            _f("builds_on", OPTIONAL),
        ),
    ),
    m.Stage: RowMap(
        m.Stage,
        schema.StageFile,
        (
            _f("track_id", PLACED),  # the folder
            _f("level_id", PLACED),  # the file name
            _f("source_id=source", LINK, m.Source),
            _f("summary"),
            *_DURATION,
            _f("courses", SLUGS),
            _f("reading", SLUGS),
            # after the lists: the reason lives inside the `courses:` / `reading:` mapping
            _f("courses_more_because=courses.more_because", OPTIONAL),
            _f("reading_more_because=reading.more_because", OPTIONAL),
        ),
    ),
    m.StageItem: RowMap(
        m.StageItem,
        schema.TextItem,  # schema.ProjectItem for projects: see `schema_for`
        (
            _f("stage_id", PLACED),
            _f("kind", PLACED),
            _POSITION,
            _f("text"),  # `title:` for a project: see `key_of`
            _f("teaches", OPTIONAL),
        ),
    ),
    m.Article: RowMap(
        m.Article,
        schema.ArticleFrontMatter,
        (_f("slug", PLACED), *_texts("title summary"), _f("body", BODY)),
    ),
    m.Guide: RowMap(
        m.Guide,
        schema.GuideFrontMatter,
        (_f("slug", PLACED), *_texts("title summary"), _f("order", NUMBER), _f("body", BODY)),
    ),
}

# A stage file's list sections, in the order the site shows them, and the item kind of each.
STAGE_SECTIONS = {
    "skills": m.ItemKind.SKILL,
    "ready_when": m.ItemKind.READY_WHEN,
    "projects": m.ItemKind.PROJECT,
    "mistakes": m.ItemKind.MISTAKE,
    "expectations": m.ItemKind.EXPECTATION,
}
SECTION_OF = {kind: section for section, kind in STAGE_SECTIONS.items()}


def schema_for(row) -> type[BaseModel]:
    if isinstance(row, m.StageItem) and row.kind == m.ItemKind.PROJECT:
        return schema.ProjectItem
    return ROW_MAPS[type(row)].schema


def key_of(row, field: Field) -> tuple[str, ...]:
    """The key path of `field` for this row (a project's text is its `title:`)."""
    if field.column == "text" and isinstance(row, m.StageItem):
        return ("title",) if row.kind == m.ItemKind.PROJECT else ("text",)
    return field.key


def expected_file(row) -> Path:
    """The file (relative to content/) where a load would have found this row."""
    match row:
        case m.SiteText() | m.StartingPoint():
            return Path("site.yaml")
        case m.Question() | m.AnswerOption():
            return Path("questionnaire.yaml")
        case m.Track():
            return Path("tracks") / row.slug / "track.yaml"
        case m.Stage():
            return Path("tracks") / row.track.slug / f"{row.level.slug}.yaml"
        case m.StageItem():
            return expected_file(row.stage)
        case m.Article():
            return Path("articles") / f"{row.slug}.md"
        case m.Guide():
            return Path("guides") / f"{row.slug}.md"
    return Path(f"{ROW_MAPS[type(row)].list_key}.yaml")


# --- values: database <-> file ------------------------------------------------------------------


def number(value):
    """Decimal('4.0') is written 4 and Decimal('2.5') 2.5, as an editor would type them."""
    if value is None or value == "":
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def normalise_text(value: str) -> str:
    """Text as the loader reads it from a file: `\\n` line endings, no surrounding whitespace.

    Browsers send CRLF from a textarea; without this an admin's Markdown edit would differ from
    what the file gives back after export, and the next load would stop on it forever.
    """
    return "\n".join(value.splitlines()).strip()


def to_file(field: Field, value, slugs: dict[type, dict[int, str]]):
    """A column's database value (as stored in `loaded_values` or read off the row) as the file
    holds it; None means "no key"."""
    if field.kind == NUMBER:
        return number(value)
    if field.kind == LINK:
        return slugs[field.target].get(value) if value is not None else None
    if field.kind == OPTIONAL:
        return normalise_text(value) if value else None
    if field.kind == SCORES:
        return dict(value) if value else None
    if field.kind == SLUGS:
        return _labelled_in_file(value or [])
    if isinstance(value, str):
        return normalise_text(value) if field.kind == TEXT else value
    return value


def comparable(field: Field, file_value):
    """A value read from a file, in a form that compares equal to `to_file`'s when it means the
    same (4 and 4.0, a missing key and an empty text, surrounding whitespace)."""
    if file_value is None or file_value == "" or file_value == {}:
        return [] if field.kind == SLUGS else None
    if field.kind == NUMBER:
        try:
            return number(file_value)
        except (ArithmeticError, ValueError, TypeError):
            return file_value
    if field.kind == SLUGS:
        return _labelled_in_file(_labelled_pairs(file_value))
    if field.kind == SCORES:
        return dict(file_value) if isinstance(file_value, dict) else file_value
    if isinstance(file_value, str):
        return normalise_text(file_value)
    return file_value


def _labelled_pairs(file_value) -> list[list[str]]:
    """A stage's `courses:` as written (a plain draft list, or slugs grouped under labels) as the
    database's [[slug, label], ...]."""
    if isinstance(file_value, list):
        return [[str(slug), ""] for slug in file_value]
    if isinstance(file_value, dict):
        return [
            [str(slug), label]
            for label in schema.RESOURCE_LABELS
            for slug in file_value.get(label) or []
        ]
    return file_value


def _labelled_in_file(pairs: list) -> list | dict:
    """[[slug, label], ...] as a file writes it: grouped by label, or a plain list while no entry
    has one. `more_because` is its own field (see the Stage map), so it is not part of this."""
    if all(not label for _, label in pairs):
        return [slug for slug, _ in pairs]
    return {
        label: [slug for slug, used in pairs if used == label]
        for label in schema.RESOURCE_LABELS
        if any(used == label for _, used in pairs)
    }


def slug_maps() -> dict[type, dict[int, str]]:
    """{model: {pk: slug}} for every model a LINK field names, retired rows included."""
    return {
        model: dict(model.objects.values_list("pk", "slug")) for model in (m.Level, m.Source, m.Track)
    }
