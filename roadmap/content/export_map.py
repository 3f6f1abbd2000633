"""Each catalogue model's columns in the content files (from the registry), and how values convert.

The loader goes files -> rows; this map is the way back. The exporter writes admin edits through
it, and the admin forms validate through it (by building the entry a file would hold and running
the files' own pydantic schema over it), so all three agree on which key holds which column.
Which key holds which column is declared once per kind, in `kinds.py` (see `columns.py`);
`ROW_MAPS` reads it from there, by model class.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from pydantic import BaseModel

from roadmap.catalog import models as m

from . import schema
from .columns import DATA, FLAG, LINK, NUMBER, OPTIONAL, SCORES, SLUGS, TEXT, Field
from .kinds import KINDS, ContentKind
from .yaml_reader import normalise_text


@dataclass(frozen=True)
class RowMap:
    model: type
    schema: type[BaseModel]  # the pydantic model that checks this row's mapping in its file
    fields: tuple[Field, ...]
    list_key: str = ""  # the list that holds the rows ("" for a row that is a whole file)
    kind: ContentKind | None = None  # the kind whose files hold the rows
    owner: str = ""  # the attribute naming the row that holds this one (`stage`, `question`)

    def field(self, column: str) -> Field | None:
        return next((f for f in self.fields if f.column == column), None)


class _RowMaps(Mapping):
    """{model class: RowMap} for every model the registry's kinds hold, in registry order (a
    kind's own model before its children's: parents before the rows inside them). Follows
    `KINDS`, so a kind registered later (or in a test) is covered too."""

    def __init__(self):
        self._built_from: tuple = ()
        self._built: dict[type, RowMap] = {}

    def _maps(self) -> dict[type, RowMap]:
        kinds = tuple(KINDS.values())
        if len(kinds) != len(self._built_from) or any(
            a is not b for a, b in zip(kinds, self._built_from, strict=True)
        ):
            self._built = {
                apps.get_model(rows.model): RowMap(
                    apps.get_model(rows.model),
                    rows.schema,
                    rows.fields,
                    rows.list_key,
                    kind,
                    rows.owner,
                )
                for kind in kinds
                for rows in kind.rows
            }
            self._built_from = kinds
        return self._built

    def __getitem__(self, model: type) -> RowMap:
        return self._maps()[model]

    def __iter__(self) -> Iterator[type]:
        return iter(self._maps())

    def __len__(self) -> int:
        return len(self._maps())


ROW_MAPS: Mapping[type, RowMap] = _RowMaps()


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
    row_map = ROW_MAPS[type(row)]
    if row_map.owner:  # a stage's item, a question's answer: in its owner's file
        return expected_file(getattr(row, row_map.owner))
    return row_map.kind.file_of(row)


# --- values: database <-> file ------------------------------------------------------------------


def number(value):
    """Decimal('4.0') is written 4 and Decimal('2.5') 2.5, as an editor would type them."""
    if value is None or value == "":
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def to_file(field: Field, value, slugs: dict[str, dict[int, str]]):
    """A column's database value (as stored in `loaded_values` or read off the row) as the file
    holds it; None means "no key"."""
    if field.kind == NUMBER:
        return number(value)
    if field.kind == LINK:
        return slugs[field.target].get(value) if value is not None else None
    if field.kind == OPTIONAL:
        return normalise_text(value) if value else None
    if field.kind == SCORES:
        return value or None
    if field.kind == FLAG:
        return True if value else None
    if field.kind == DATA:
        return value or None
    if field.kind == SLUGS:
        return _labelled_in_file(value or [])
    if isinstance(value, str):
        return normalise_text(value) if field.kind == TEXT else value
    return value


def comparable(field: Field, file_value):
    """A value read from a file, in a form that compares equal to `to_file`'s when it means the
    same (4 and 4.0, a missing key and an empty text, surrounding whitespace)."""
    if file_value is None or file_value == "" or file_value == {} or file_value == []:
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
    if field.kind == FLAG:
        return True if file_value is True else file_value or None
    if field.kind == DATA:
        return _plain_data(file_value)
    if isinstance(file_value, str):
        return normalise_text(file_value)
    return file_value


def _plain_data(value):
    """A nested mapping as read from a file, with numbers as the database's JSON holds them."""
    if isinstance(value, dict):
        return {key: _plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_data(item) for item in value]
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return number(value)
    return value


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


def slug_maps() -> dict[str, dict[int, str]]:
    """{kind: {pk: slug}} for every kind a LINK field names, retired rows included."""
    targets = {f.target for row_map in ROW_MAPS.values() for f in row_map.fields if f.kind == LINK}
    return {
        target: dict(apps.get_model(KINDS[target].model).objects.values_list("pk", "slug"))
        for target in sorted(targets)
    }
