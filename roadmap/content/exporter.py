"""`export_content`: write what admins changed back into the content files, as they are now.

The files are the source of truth, and editors may have uncommitted work in them. So export
never rewrites a file from the database: it writes *only* the fields admins changed, one by one,
into the files as they are on disk; it never deletes a file and never puts back a value an editor
changed.

What an admin changed is known per row: `loaded_values` holds what the last load wrote, so a
column whose value differs from it was edited in admin. For each such column export compares the
last load's value, the admin's and the file's now:

- the file still holds the last load's value: the admin's is written;
- the file already holds the admin's value: nothing to do;
- the file holds a third value (an editor changed the same field): a conflict.

Rows created in admin are appended where a load would read them; rows deleted in admin are
removed from the files only when asked (`retire_deleted`). Conflicts stop the export before
anything is written. Everything else is computed first, then all files are written together, so an
export changes all its files or none.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.urls import reverse
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from roadmap.catalog import models as m

from .columns import BODY, PLACED, SLUGS
from .errors import display_path
from .export_map import (
    ROW_MAPS,
    SECTION_OF,
    STAGE_SECTIONS,
    comparable,
    expected_file,
    key_of,
    schema_for,
    slug_maps,
    to_file,
)
from .atomic_write import write_all
from .export_files import ContentFiles, ExportUnreadable, yaml_get, yaml_put
from .loader import canonical, stage_links_now

__all__ = ["ExportConflicts", "ExportUnreadable", "content_export", "write_all"]

RESOLVE = (
    "Make both sides agree, then run `python manage.py export_content` again: either type the "
    "admin's value into the file at that line, or set the field in admin to the file's value. "
    "Nothing was written."
)


@dataclass(frozen=True)
class Conflict:
    """A field both an admin and the files changed since the last load, to different values."""

    path: str
    line: int
    model: str
    content_id: str
    field: str
    file_value: object
    admin_value: object
    gone: bool = False  # the files no longer hold the row at all

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: {self.model} {self.content_id} {self.field}"
        if self.gone:
            return (
                f"{where}: admin changed it to {_show(self.admin_value)}, but the row is no longer "
                "in the files (removed since the last load)"
            )
        return (
            f"{where}: the file says {_show(self.file_value)}, admin says {_show(self.admin_value)}"
        )


@dataclass(frozen=True)
class Change:
    path: str
    model: str
    content_id: str
    what: str  # the field names written, "created" or "retired"

    def __str__(self) -> str:
        return f"{self.path}: {self.model} {self.content_id}: {self.what}"


@dataclass
class ExportPlan:
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what export leaves to a person
    written: list[Path] = field(default_factory=list)


class ExportConflicts(Exception):
    def __init__(self, plan: ExportPlan):
        super().__init__(f"{len(plan.conflicts)} conflict(s) between admin edits and the files")
        self.plan = plan


def content_export(*, root: Path, retire_deleted: bool = False, write: bool = True) -> ExportPlan:
    """Write admin edits into the files under `root`. Raises ExportConflicts, writing nothing."""
    plan = ExportPlan()
    files = ContentFiles(Path(root))
    exporter = _Exporter(files, plan)
    exporter.created_rows()
    exporter.edited_rows()
    exporter.deleted_rows(retire=retire_deleted)
    if plan.conflicts:
        raise ExportConflicts(plan)
    texts = {files.root / path: files.render(path) for path in files.dirty}
    texts = {
        path: text
        for path, text in texts.items()
        if text != files.original(path.relative_to(files.root))
    }
    if write:
        write_all(texts)
    plan.written = sorted(texts)
    return plan


def _show(value) -> str:
    if value is None:
        return "nothing"
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 80 else text[:77] + '..."'


# --- what the database says ---------------------------------------------------------------------


def row_values(row, links: dict) -> dict:
    """The row's file-owned values now, in the form `loaded_values` stores (as the loader does)."""
    values = {column: canonical(getattr(row, column)) for column in row.FILE_FIELDS}
    if isinstance(row, m.Stage):
        values.update(links.get(row.pk, {"courses": [], "reading": []}))
    return values


def edited_columns(row, now: dict) -> list[str]:
    """The columns whose value differs from what the last load wrote: the admin's edits. A column
    the last load never wrote (a migration added it since) is not an edit."""
    loaded = row.loaded_values
    return [column for column in now if column in loaded and now[column] != loaded[column]]


@dataclass(frozen=True)
class PendingEdit:
    """An admin change the files do not have yet: a row's edited fields, or its creation or
    deletion."""

    model: type
    content_id: str
    label: str
    what: str
    row: object = None  # None for a deleted row

    def __str__(self) -> str:
        return f"{self.model_name} {self.content_id} ({self.label}): {self.what}"

    @property
    def model_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def admin_url(self) -> str:
        if self.row is None:
            return ""
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.row.pk])


def admin_edits_pending() -> list[PendingEdit]:
    """Every admin change since the last load that export would write: what the next load stops
    on until it is exported (or discarded)."""
    links = stage_links_now()
    pending = []
    for model in ROW_MAPS:
        for row in _live_rows(model):
            if not row.loaded_values:
                pending.append(
                    PendingEdit(model, row.content_id, str(row), "created in admin", row)
                )
                continue
            changed = edited_columns(row, row_values(row, links))
            if changed:
                what = ", ".join(c.removesuffix("_id") for c in changed)
                pending.append(PendingEdit(model, row.content_id, str(row), what, row))
    for deletion in m.AdminDeletion.objects.all():
        model = apps.get_model(deletion.model)
        pending.append(PendingEdit(model, deletion.content_id, deletion.label, "deleted in admin"))
    return pending


def _live_rows(model):
    rows = model.objects.filter(retired=False)
    if model is m.Stage:
        rows = rows.select_related("track", "level")
    if model is m.StageItem:
        rows = rows.select_related("stage__track", "stage__level")
    return rows


class _Exporter:
    def __init__(self, files: ContentFiles, plan: ExportPlan):
        self.files = files
        self.plan = plan
        self.slugs = slug_maps()
        self.links = stage_links_now()
        self.done: set[str] = set()  # content ids written as part of a new parent

    # rows created in admin -----------------------------------------------------------------

    def created_rows(self) -> None:
        for model in ROW_MAPS:  # parents (a stage, a question) come before their children
            for row in _live_rows(model).filter(loaded_values={}):
                if row.content_id in self.done or self.files.find(row) is not None:
                    continue  # written with its parent, or already exported
                row_map = ROW_MAPS[model]
                if not row_map.kind.top_level and not row_map.owner:  # one file per entry
                    self._new_file(row)
                else:
                    self._append(row)

    def _entry(self, row) -> CommentedMap:
        """The mapping a file would hold for this row."""
        entry = CommentedMap(id=row.content_id)
        for f in ROW_MAPS[type(row)].fields:
            if f.kind in (PLACED, BODY):
                continue
            value = to_file(f, self._value(row, f.column), self.slugs)
            if value is not None and not (f.kind == SLUGS and not value):
                yaml_put(entry, key_of(row, f), value)
        return entry

    def _new_mapping(self, row, extra: dict) -> CommentedMap:
        """The row's mapping plus `extra` keys, in the order the schema lists its fields."""
        entry = self._entry(row)
        entry.update(extra)
        order = list(schema_for(row).model_fields)
        keys = sorted(entry, key=lambda k: order.index(k) if k in order else len(order))
        return CommentedMap((key, entry[key]) for key in keys)

    def _value(self, row, column: str):
        if isinstance(row, m.Stage) and column in ("courses", "reading"):
            return self.links.get(row.pk, {}).get(column, [])
        return canonical(getattr(row, column))

    def _append(self, row) -> None:
        parent, path = self._parent(row)
        if parent is None:
            self.plan.notes.append(
                f"{row._meta.verbose_name} {row.content_id} was created in admin, but the files no "
                f"longer hold where it belongs ({path}); add it there by hand."
            )
            return
        list_key = (  # a stage's items: the section of their kind
            SECTION_OF[row.kind] if isinstance(row, m.StageItem) else ROW_MAPS[type(row)].list_key
        )
        entries = parent.get(list_key)
        if not isinstance(entries, CommentedSeq):
            entries = CommentedSeq()
            parent[list_key] = entries
        extra = {}
        if isinstance(row, m.Question):
            options = _live_rows(m.AnswerOption).filter(question=row)
            extra["options"] = CommentedSeq(self._new_mapping(option, {}) for option in options)
            self.done.update(option.content_id for option in options)
        entry = self._new_mapping(row, extra)
        taken = next((e for e in entries if _slug(e) and _slug(e) == entry.get("slug")), None)
        if taken is not None:
            self._conflict(path, taken, row, "slug", f"taken by {taken.get('id')}", entry["slug"])
            return
        entries.append(entry)
        self.files.touch(path)
        self._changed(path, row, "created")

    def _parent(self, row) -> tuple[CommentedMap | None, Path]:
        """The mapping whose list receives a new row, and its file."""
        owner = ROW_MAPS[type(row)].owner
        if owner:
            found = self.files.find(getattr(row, owner))
            return (found.mapping, found.path) if found else (None, expected_file(row))
        path = expected_file(row)
        return self.files.document(path), path

    def _new_file(self, row) -> None:
        path = expected_file(row)
        if self.files.exists(path):
            self._conflict(path, None, row, "file", "a file already exists", "a new file")
            return
        data = self._new_mapping(row, self._stage_sections(row) if isinstance(row, m.Stage) else {})
        kind = ROW_MAPS[type(row)].kind
        body = row.body if kind.markdown else None
        self.files.create(path, kind.name, data, body)
        self._changed(path, row, "created")

    def _stage_sections(self, stage) -> dict[str, CommentedSeq]:
        items = sorted(_live_rows(m.StageItem).filter(stage=stage), key=lambda item: item.order)
        self.done.update(item.content_id for item in items)
        return {
            section: CommentedSeq(self._new_mapping(i, {}) for i in items if i.kind == kind)
            for section, kind in STAGE_SECTIONS.items()
        }

    # rows edited in admin ------------------------------------------------------------------

    def edited_rows(self) -> None:
        for model, row_map in ROW_MAPS.items():
            for row in _live_rows(model).exclude(loaded_values={}):
                now = row_values(row, self.links)
                if changed := edited_columns(row, now):
                    self._edit(row, row_map, changed, now, row.loaded_values)

    def _edit(self, row, row_map, changed: list[str], now: dict, loaded: dict) -> None:
        name = row._meta.verbose_name
        found = self.files.find(row)
        if found is None:
            path = display_path(self.files.root / expected_file(row))
            for column in changed:
                self.plan.conflicts.append(
                    Conflict(path, 1, name, row.content_id, column, None, now[column], gone=True)
                )
            return
        written = []
        for column in changed:
            f = row_map.field(column)
            if f is None or f.kind == PLACED:
                self.plan.notes.append(
                    f"{name} {row.content_id}: `{column}` was changed outside the admin forms; "
                    "export cannot move a row: move it in the file by hand."
                )
                continue
            key = key_of(row, f)
            in_file = comparable(f, found.body if f.kind == BODY else yaml_get(found.mapping, key))
            wanted = to_file(f, now[column], self.slugs)
            if in_file == comparable(f, wanted):
                continue  # the file already says what admin says
            if in_file != comparable(f, to_file(f, loaded.get(column), self.slugs)):
                line = found.body_line if f.kind == BODY else found.line_of(key)
                self.plan.conflicts.append(
                    Conflict(
                        display_path(self.files.root / found.path),
                        line,
                        name,
                        row.content_id,
                        ".".join(key),
                        in_file,
                        wanted,
                    )
                )
                continue
            if f.kind == BODY:
                self.files.set_body(found.path, wanted)
            else:
                wanted = _keep_the_reason(f, yaml_get(found.mapping, key), wanted)
                yaml_put(
                    found.mapping, key, wanted, order=[k for g in row_map.fields for k in g.key]
                )
            self.files.touch(found.path)
            written.append(".".join(key))
        if written:
            self._changed(found.path, row, ", ".join(written))

    # rows deleted in admin -----------------------------------------------------------------

    def deleted_rows(self, *, retire: bool) -> None:
        left = []
        for deletion in m.AdminDeletion.objects.all():
            model = apps.get_model(deletion.model)
            found = self.files.find_id(deletion.content_id, self.files.family(model))
            if found is None:
                continue  # the files no longer hold it: the next load forgets the deletion
            where = f"{display_path(self.files.root / found.path)}:{found.line_of(())}"
            label = f"{model._meta.verbose_name} {deletion.content_id} ({deletion.label})"
            if not retire:
                left.append(f"{where}: {label}")
            elif found.parent is None:
                self.plan.notes.append(
                    f"{label} was deleted in admin; export never deletes a file: remove "
                    f"{display_path(self.files.root / found.path)} with `git rm` if you agree."
                )
            else:
                found.parent.remove(found.mapping)
                self.files.touch(found.path)
                where = display_path(self.files.root / found.path)
                name = model._meta.verbose_name
                self.plan.changes.append(Change(where, name, deletion.content_id, "retired"))
        if left:
            self.plan.notes.append(
                f"{len(left)} row(s) deleted in admin are still in the files and were kept: "
                + "; ".join(left)
                + ". Run `python manage.py export_content --retire-deleted` to remove them."
            )

    # ----------------------------------------------------------------------------------------

    def _changed(self, path: Path, row, what: str) -> None:
        where = display_path(self.files.root / path)
        self.plan.changes.append(Change(where, row._meta.verbose_name, row.content_id, what))

    def _conflict(self, path: Path, node, row, what: str, file_value, admin_value) -> None:
        line = node.lc.line + 1 + self.files.offset(path) if node is not None else 1
        self.plan.conflicts.append(
            Conflict(
                display_path(self.files.root / path),
                line,
                row._meta.verbose_name,
                row.content_id,
                what,
                file_value,
                admin_value,
            )
        )


def _slug(entry) -> str | None:
    return entry.get("slug") if isinstance(entry, CommentedMap) else None


def _keep_the_reason(f, in_file, wanted):
    """A stage's labelled list replaced in the file keeps its `more_because:`, which is a field
    of its own (written only when an admin changed it)."""
    if f.kind == SLUGS and isinstance(in_file, dict) and "more_because" in in_file:
        if isinstance(wanted, dict):
            return {**wanted, "more_because": in_file["more_because"]}
    return wanted
