"""Which key of a content file holds which column of a catalogue model.

Each kind in `kinds.py` lists the columns of its rows here: the loader reads them out of the
files, the exporter writes admin edits back through them, and the admin forms validate through
them (by building the entry a file would hold and running the files' own schema over it), so all
three agree on which key holds which column.

Some columns are not values an editor types but say *where* a row is: its file (a stage's track
and level, an article's slug), its section (an item's kind) or its place in a list (`order` of
list entries). Those are `PLACED`; the admin shows them read-only and export never writes them
for an existing row.

This module names models only by label, so the registry stays free of Django imports.
"""

from dataclasses import dataclass

from pydantic import BaseModel

# Column kinds: how a column's value looks in a file.
TEXT = "text"  # a string, required
OPTIONAL = "optional"  # a string; "" in the database is a missing key in the file
NUMBER = "number"  # Decimal or int in the database, 4 or 2.5 in the file
LINK = "link"  # a foreign key in the database, the target's slug in the file (missing: None)
SLUGS = "slugs"  # a stage's course or reading list: [[slug, label], ...] in the database
# an answer's per-track JSON ({track: points}, {track: reason}, [track, ...]); empty: no key
SCORES = "scores"
DATA = "data"  # a nested mapping (a track's `timeline`), stored as JSON exactly as the file means it
FLAG = "flag"  # true or false; false is a missing key
BODY = "body"  # a Markdown file's text after the front matter
PLACED = "placed"  # where the row is (file, section, position): not written for existing rows


@dataclass(frozen=True)
class Field:
    column: str  # the model's FILE_FIELDS name (or "courses"/"reading" for stage links)
    key: tuple[str, ...]  # the key path inside the row's mapping in the file
    kind: str = TEXT
    target: str = ""  # LINK: the content kind (`levels`, `track`) whose slug the file names


@dataclass(frozen=True)
class Rows:
    """Rows of one model held inside another kind's files (a stage's items, a question's
    answers): the model, the schema of one entry, its columns and where the entries sit."""

    model: str  # the Django model label, e.g. "catalog.StageItem"
    schema: type[BaseModel]  # the pydantic model that checks one entry
    fields: tuple[Field, ...]
    list_key: str = ""  # the list that holds the entries ("" when the owner decides: see export)
    owner: str = ""  # the attribute naming the row that holds this one (`stage`, `question`)


def column(spec: str, kind: str = TEXT, target: str = "") -> Field:
    """`"summary"`, or `"duration_min=duration.min"` when the key differs from the column."""
    name, _, key = spec.partition("=")
    return Field(name, tuple((key or name).split(".")), kind, target)


def texts(names: str) -> tuple[Field, ...]:
    """Required text columns stored under their own name: `texts("slug title")`."""
    return tuple(column(name) for name in names.split())


POSITION = column("order", PLACED)  # a list entry's place in its list
DURATION = (
    column("duration_min=duration.min", NUMBER),
    column("duration_max=duration.max", NUMBER),
    column("duration_unit=duration.unit"),
)
STATED = (  # a track's total as commonly stated, in the same columns as a stage's duration
    column("duration_min=stated.min", NUMBER),
    column("duration_max=stated.max", NUMBER),
    column("duration_unit=stated.unit"),
)
RESOURCE_FACTS = (
    column("kind"),
    column("effort_min=effort.min", NUMBER),
    column("effort_max=effort.max", NUMBER),
)
