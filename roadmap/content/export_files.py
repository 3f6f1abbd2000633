"""The content files as they are on disk now, for `export_content`.

Each file is parsed on first use with ruamel's round-trip loader, which keeps comments, key
order and quoting; export edits the parsed document in place, and only a file it changed is
rendered back. A row is found by its id wherever it is now (editors move items between files),
and values are written in the style the file already uses.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    ScalarString,
)

from .errors import display_path
from .export_map import ROW_MAPS, expected_file
from .front_matter import FrontMatterError, join_front_matter, split_front_matter
from .kinds import locate
from .tree import schema_comment
from .yaml_reader import YamlError, normalise, parse


@dataclass
class Found:
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
    indent: "Indent" = None  # how this file indents, so a rewrite keeps it


class ContentFiles:
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
        text = normalise(original)  # line endings as the reader sees them: the same line numbers
        if path.suffix != ".md":
            return _File(original, _load(full, text), False, indent=_guess_indent(text))
        try:
            parts = split_front_matter(text)
        except FrontMatterError as exc:
            raise ExportUnreadable(display_path(full), exc.line, exc.message) from None
        front = parts.yaml
        rest = parts.body.splitlines(keepends=True)
        blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
        body = "".join(rest[blank:]).rstrip("\n")
        document = _load(full, front, first_line=parts.yaml_line)
        lead = "".join(rest[:blank])
        return _File(
            original,
            document,
            markdown=True,
            front=front,
            body=body,
            lead=lead,
            body_line=parts.closing_line + 1,
            indent=_guess_indent(front),
        )

    def family(self, model) -> list[Path]:
        """Every file a row of `model` may live in (editors move items between files): every
        file of its kind."""
        kind = ROW_MAPS[model].kind
        if kind.top_level:
            return [Path(kind.pattern)]
        return sorted(
            p.relative_to(self.root)
            for p in self.root.glob(kind.glob)
            if p.is_file() and (found := locate(p)) and found[1] is kind
        )

    def find(self, row) -> Found | None:
        """Where the files hold this row now: its expected file first, then its whole family."""
        row_map = ROW_MAPS[type(row)]
        if row_map.kind.top_level and not row_map.list_key:  # a whole file with no id (site)
            path = Path(row_map.kind.pattern)
            file = self._file(path)
            return self._found(path, file.document, None) if file else None
        expected = expected_file(row)
        candidates = [expected, *(p for p in self.family(type(row)) if p != expected)]
        return self.find_id(row.content_id, candidates)

    def find_id(self, content_id: str, candidates: list[Path]) -> Found | None:
        for path in candidates:
            if self._file(path) is None:
                continue
            if path not in self.ids:
                self.ids[path] = dict(_index(self.loaded[path].document, None))
            if content_id in self.ids[path]:
                mapping, parent = self.ids[path][content_id]
                return self._found(path, mapping, parent)
        return None

    def _found(self, path: Path, mapping, parent) -> Found:
        file = self.loaded[path]
        return Found(path, mapping, parent, self.offset(path), file.body, file.body_line)

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
            yaml_text = f"{file.front}\n{_dump(file.document, file.indent)}"
        elif file.yaml_changed:
            yaml_text = _dump(file.document, file.indent)
        else:
            yaml_text = file.front
        if file.markdown:
            body = "\n".join((file.body or "").splitlines())
            text = join_front_matter(yaml_text, f"{file.lead}{body}")
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


@dataclass(frozen=True)
class Indent:
    """How a file indents: ruamel re-indents a whole document it dumps, so it must be told."""

    mapping: int = 2
    sequence: int = 4  # from the parent key to a list item's text
    offset: int = 2  # from the parent key to the item's `-`


def _guess_indent(text: str) -> Indent:
    """The file's own indentation (our files: `key:` / `  - id:` / `    text:`)."""
    try:
        _, sequence, offset = load_yaml_guess_indent(text)
    except YAMLError:
        return Indent()
    if sequence is None or offset is None:
        return Indent()
    return Indent(mapping=sequence - offset or sequence, sequence=sequence, offset=offset)


def _yaml(indent: Indent | None = None) -> YAML:
    indent = indent or Indent()
    yaml = YAML(typ="rt")
    yaml.indent(mapping=indent.mapping, sequence=indent.sequence, offset=indent.offset)
    yaml.width = 4096  # never fold a long line the editor wrote on one line
    yaml.preserve_quotes = True
    return yaml


def _dump(document, indent: Indent | None) -> str:
    out = io.StringIO()
    _yaml(indent).dump(document, out)
    return out.getvalue()


# --- values inside a document ------------------------------------------------------------------


def yaml_get(mapping, key: tuple[str, ...]):
    for part in key:
        if not isinstance(mapping, dict) or part not in mapping:
            return None
        mapping = mapping[part]
    return mapping


def yaml_put(mapping: CommentedMap, key: tuple[str, ...], value, order: list[str] = ()) -> None:
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
        mapping[last] = styled(mapping[last], value)
    else:
        _insert(mapping, last, styled(None, value), order)


def _insert(mapping: CommentedMap, key: str, value, order) -> None:
    earlier = list(order)[: list(order).index(key)] if key in order else list(mapping)
    position = max((i + 1 for i, k in enumerate(mapping) if k in earlier or k == "id"), default=0)
    mapping.insert(position, key, value)


def styled(old, new):
    """`new` dressed like `old`: a block or quoted string stays so, a flow list stays flow."""
    if isinstance(new, str):
        if "\n" in new:
            return LiteralScalarString(new)
        if isinstance(old, ScalarString):
            return type(old)(new)
        return DoubleQuotedScalarString(new) if _not_a_string_to_pyyaml(new) else new
    if isinstance(new, list):
        new = [styled(None, item) for item in new]
    if isinstance(new, list) and isinstance(old, CommentedSeq):
        del old[:]
        old.extend(new)
        return old
    if isinstance(new, dict) and isinstance(old, CommentedMap):
        # The file's own key order, whatever order the database hands back (PostgreSQL's jsonb
        # sorts keys): an edit of one value must not reshuffle the mapping around it.
        keys = [key for key in old if key in new] + [key for key in new if key not in old]
        values = {key: styled(old.get(key), new[key]) for key in keys}
        old.clear()
        old.update(values)
        return old
    return new


def _not_a_string_to_pyyaml(text: str) -> bool:
    """Whether the loader's YAML 1.1 reading would take this plain text for something else:
    ruamel writes YAML 1.2, where `yes`, `no`, `on` and `off` are plain words, not booleans."""
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str"


_RESOLVER = yaml.resolver.Resolver()
