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

import io
import os
import tempfile

import yaml
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.urls import reverse
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    ScalarString,
)

from roadmap.catalog import models as m

from .errors import display_path
from .export_map import (
    BODY,
    PLACED,
    ROW_MAPS,
    SECTION_OF,
    STAGE_SECTIONS,
    SLUGS,
    comparable,
    expected_file,
    key_of,
    schema_for,
    slug_maps,
    to_file,
)
from .loader import canonical, stage_links_now
from .tree import FRONT_MATTER, schema_comment
from .yaml_reader import YamlError, parse

FILE_KIND = {m.Track: "track", m.Stage: "stage", m.Article: "article", m.Guide: "guide"}
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
        return f"{where}: the file says {_show(self.file_value)}, admin says {_show(self.admin_value)}"


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
    files = _Files(Path(root))
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
    """The columns whose value differs from what the last load wrote: the admin's edits."""
    return [column for column in now if now[column] != row.loaded_values.get(column)]


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
                pending.append(PendingEdit(model, row.content_id, str(row), "created in admin", row))
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
    def __init__(self, files: "_Files", plan: ExportPlan):
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
                if model in FILE_KIND:
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
                _put(entry, key_of(row, f), value)
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
        list_key = (
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
        owner = {m.StageItem: "stage", m.AnswerOption: "question"}.get(type(row))
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
        body = row.body if isinstance(row, m.Article | m.Guide) else None
        self.files.create(path, FILE_KIND[type(row)], data, body)
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
            in_file = comparable(f, found.body if f.kind == BODY else _get(found.mapping, key))
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
                _put(found.mapping, key, wanted, order=[k for g in row_map.fields for k in g.key])
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


def _get(mapping, key: tuple[str, ...]):
    for part in key:
        if not isinstance(mapping, dict) or part not in mapping:
            return None
        mapping = mapping[part]
    return mapping


def _put(mapping: CommentedMap, key: tuple[str, ...], value, order: list[str] = ()) -> None:
    """Set a value at a key path, keeping the old scalar's style; None removes the key. A new key
    goes after the keys that come before it in `order` (the schema's order)."""
    *parents, last = key
    for part in parents:
        if not isinstance(mapping.get(part), dict):
            _insert(mapping, part, CommentedMap(), order)
        mapping = mapping[part]
    if value is None:
        mapping.pop(last, None)
    elif last in mapping:
        mapping[last] = _styled(mapping[last], value)
    else:
        _insert(mapping, last, _styled(None, value), order)


def _insert(mapping: CommentedMap, key: str, value, order) -> None:
    earlier = list(order)[: list(order).index(key)] if key in order else list(mapping)
    position = max((i + 1 for i, k in enumerate(mapping) if k in earlier or k == "id"), default=0)
    mapping.insert(position, key, value)


def _styled(old, new):
    """`new` dressed like `old`: a block or quoted string stays so, a flow list stays flow."""
    if isinstance(new, str):
        if "\n" in new:
            return LiteralScalarString(new)
        if isinstance(old, ScalarString):
            return type(old)(new)
        return DoubleQuotedScalarString(new) if _not_a_string_to_pyyaml(new) else new
    if isinstance(new, list):
        new = [_styled(None, item) for item in new]
    if isinstance(new, list) and isinstance(old, CommentedSeq):
        del old[:]
        old.extend(new)
        return old
    if isinstance(new, dict) and isinstance(old, CommentedMap):
        old.clear()
        old.update(new)
        return old
    return new


def _not_a_string_to_pyyaml(text: str) -> bool:
    """Whether the loader's YAML 1.1 reading would take this plain text for something else:
    ruamel writes YAML 1.2, where `yes`, `no`, `on` and `off` are plain words, not booleans."""
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str"


_RESOLVER = yaml.resolver.Resolver()


# --- the files as they are now ----------------------------------------------------------------


@dataclass
class _Found:
    path: Path  # relative to content/
    mapping: CommentedMap
    parent: CommentedSeq | None  # the list holding the mapping; None for a whole-file row
    offset: int  # lines before the YAML (a Markdown file's opening `---`)
    body: str | None
    body_line: int

    def line_of(self, key: tuple[str, ...]) -> int:
        """The 1-based line of a key (or, when it is missing, of its mapping)."""
        mapping, line = self.mapping, self.mapping.lc.line
        for part in key:
            if not isinstance(mapping, CommentedMap) or part not in mapping:
                break
            line = mapping.lc.key(part)[0]
            mapping = mapping[part]
        return line + 1 + self.offset


@dataclass
class _File:
    original: str  # exactly as read (line endings, byte order mark and all)
    document: CommentedMap
    markdown: bool
    front: str = ""  # the front matter's YAML text as read
    body: str | None = None
    lead: str = ""  # blank lines between the front matter and the body
    body_line: int = 1
    yaml_changed: bool = False


class _Files:
    """The content files under `root`, parsed on first use with ruamel's round-trip loader (which
    keeps comments, order and quoting), and rendered back only where something changed."""

    def __init__(self, root: Path):
        self.root = root
        self.loaded: dict[Path, _File | None] = {}
        self.ids: dict[Path, dict[str, tuple[CommentedMap, CommentedSeq | None]]] = {}
        self.dirty: set[Path] = set()

    def exists(self, path: Path) -> bool:
        return (self.root / path).exists() or self.loaded.get(path) is not None

    def original(self, path: Path) -> str | None:
        file = self.loaded.get(path)
        return file.original if file and file.original else None

    def offset(self, path: Path) -> int:
        file = self.loaded.get(path)
        return 1 if file and file.markdown else 0

    def document(self, path: Path) -> CommentedMap | None:
        file = self._file(path)
        return file.document if file else None

    def _file(self, path: Path) -> _File | None:
        if path not in self.loaded:
            self.loaded[path] = self._read(path)
        return self.loaded[path]

    def _read(self, path: Path) -> _File | None:
        full = self.root / path
        if not full.is_file():
            return None
        original = full.read_bytes().decode("utf-8-sig")
        text = "\n".join(original.splitlines()) + "\n"
        if path.suffix != ".md":
            return _File(original, _load(full, text), False)
        lines = text.splitlines(keepends=True)
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER), None)
        if not lines or lines[0].strip() != FRONT_MATTER or end is None:
            raise ExportUnreadable(display_path(full), 1, "the front matter is not closed by `---`")
        front = "".join(lines[1:end])
        rest = lines[end + 1 :]
        blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
        body = "".join(rest[blank:]).rstrip("\n")
        document = _load(full, front, first_line=2)
        return _File(original, document, True, front, body, "".join(rest[:blank]), end + 2)

    def family(self, model) -> list[Path]:
        """Every file a row of `model` may live in (editors move items between files)."""
        if model is m.Track:
            return self._glob("tracks/*/track.yaml")
        if model in (m.Stage, m.StageItem):
            return [p for p in self._glob("tracks/*/*.yaml") if p.name != "track.yaml"]
        if model is m.Article:
            return self._glob("articles/*.md")
        if model is m.Guide:
            return self._glob("guides/*.md")
        if model in (m.SiteText, m.StartingPoint):
            return [Path("site.yaml")]
        if model in (m.Question, m.AnswerOption):
            return [Path("questionnaire.yaml")]
        return [Path(f"{ROW_MAPS[model].list_key}.yaml")]

    def _glob(self, pattern: str) -> list[Path]:
        return sorted(p.relative_to(self.root) for p in self.root.glob(pattern) if p.is_file())

    def find(self, row) -> _Found | None:
        """Where the files hold this row now: its expected file first, then its whole family."""
        if isinstance(row, m.SiteText):
            path = Path("site.yaml")
            file = self._file(path)
            return self._found(path, file.document, None) if file else None
        expected = expected_file(row)
        candidates = [expected, *(p for p in self.family(type(row)) if p != expected)]
        return self.find_id(row.content_id, candidates)

    def find_id(self, content_id: str, candidates: list[Path]) -> _Found | None:
        for path in candidates:
            if self._file(path) is None:
                continue
            if path not in self.ids:
                self.ids[path] = dict(_index(self.loaded[path].document, None))
            if content_id in self.ids[path]:
                mapping, parent = self.ids[path][content_id]
                return self._found(path, mapping, parent)
        return None

    def _found(self, path: Path, mapping, parent) -> _Found:
        file = self.loaded[path]
        return _Found(path, mapping, parent, self.offset(path), file.body, file.body_line)

    def touch(self, path: Path) -> None:
        self.loaded[path].yaml_changed = True
        self.dirty.add(path)

    def set_body(self, path: Path, body: str) -> None:
        self.loaded[path].body = body
        self.dirty.add(path)

    def create(self, path: Path, kind: str, data: CommentedMap, body: str | None) -> None:
        comment = schema_comment(kind, self.root / path, self.root)
        markdown = body is not None
        file = _File("", data, markdown, body=body, yaml_changed=True)
        file.front = comment  # rendered below the schema line
        self.loaded[path] = file
        self.dirty.add(path)

    def render(self, path: Path) -> str:
        file = self.loaded[path]
        if not file.original:  # a new file
            yaml_text = f"{file.front}\n{_dump(file.document)}"
        elif file.yaml_changed:
            yaml_text = _dump(file.document)
        else:
            yaml_text = file.front
        if file.markdown:
            body = "\n".join((file.body or "").splitlines())
            text = f"{FRONT_MATTER}\n{yaml_text}{FRONT_MATTER}\n{file.lead}{body}\n"
        else:
            text = yaml_text
        if "\r\n" in file.original:  # keep the editor's line endings
            text = text.replace("\n", "\r\n")
        if file.original.startswith("\ufeff"):
            text = "\ufeff" + text
        return text


class ExportUnreadable(Exception):
    """A file export needs cannot be parsed; nothing was written."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(
            f"{path}:{line}: {message}. Export needs to read this file: fix it (`python manage.py "
            "validate_content` explains), then export again."
        )


def _load(path: Path, text: str, first_line: int = 1) -> CommentedMap:
    """A round-trip document, or ExportUnreadable worded as validate_content words it."""
    try:
        return _yaml().load(text) or CommentedMap()
    except YAMLError as exc:
        try:
            parse(text, first_line=first_line)  # the loader's reader names the line in plain words
        except YamlError as plain:
            raise ExportUnreadable(display_path(path), plain.line, plain.message) from None
        raise ExportUnreadable(display_path(path), first_line, str(exc).splitlines()[0]) from None


def _index(node, parent):
    """(id, (mapping, list holding it)) for every mapping with an `id` under `node`."""
    if isinstance(node, CommentedMap):
        if isinstance(node.get("id"), str):
            yield node["id"], (node, parent)
        for value in node.values():
            yield from _index(value, None)
    elif isinstance(node, CommentedSeq):
        for item in node:
            yield from _index(item, node)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long line the editor wrote on one line
    yaml.preserve_quotes = True
    return yaml


def _dump(document) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


# --- writing: all files or none ------------------------------------------------------------------


def write_all(texts: dict[Path, str]) -> None:
    """Write every file or none: each goes to a temporary file beside it first (the step that can
    fail: disk full, permissions), and only when all exist are they renamed over the originals."""
    temporary: dict[Path, Path] = {}
    try:
        for path, text in texts.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temporary[path] = Path(name)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            os.chmod(name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        for path, name in temporary.items():
            os.replace(name, path)
    finally:
        for name in temporary.values():
            name.unlink(missing_ok=True)
