"""Safe YAML parsing that remembers the line of every value.

Editors need errors that name a line, so we compose PyYAML's node tree ourselves instead of
calling `safe_load`. Walking the nodes also lets us refuse what a content file never needs and an
attacker might send: anchors and aliases (the "billion laughs" bomb), custom tags such as
`!!python/object`, and duplicate keys that PyYAML would silently overwrite.
"""

import codecs
from dataclasses import dataclass, field

import yaml

try:  # the C parser is much faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20  # content files nest 6 levels at most; deeper is a mistake or an attack

# The tags plain YAML produces for the values a content file holds; anything else is refused.
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_SCALARS = yaml.constructor.SafeConstructor()

Path = tuple[str | int, ...]


class YamlError(Exception):
    """A problem that stops a file from being read at all, with the line where it sits."""

    def __init__(self, line: int, message: str, field_path: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.field_path = field_path


@dataclass
class Located:
    """A parsed document plus the 1-based line of every key and list item in it."""

    data: object
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """The line of the deepest existing part of `path` (a missing field: its parent's line)."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def decode(raw: bytes) -> str:
    """Bytes to text, refusing oversized files and naming the line of any invalid UTF-8."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(1, f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    if raw.startswith(codecs.BOM_UTF8):
        raise YamlError(1, "file starts with a byte order mark (BOM); save it as UTF-8 without BOM")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(line, "file is not valid UTF-8 text; save it as UTF-8") from None


def parse(text: str, *, first_line: int = 1) -> Located:
    """Parse one YAML document. `first_line` offsets line numbers (front matter inside Markdown)."""
    offset = first_line - 1
    for number, line in enumerate(text.splitlines(), start=first_line):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            raise YamlError(number, "tab character in indentation; indent with spaces")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        line, message = _explain(exc)
        raise YamlError(line + offset, f"invalid YAML: {message}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        message = f"unacceptable character #x{exc.character:04x}: {exc.reason}"
        raise YamlError(line, f"invalid YAML: {message}") from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"invalid YAML: {exc}") from None
    located = Located(data=None)
    if node is not None:
        located.data = _build(node, (), located.lines, offset, set())
    return located


def _explain(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line and wording an editor can act on, for the syntax errors editors actually make."""
    context, problem = exc.context or "", exc.problem or ""
    if "quoted scalar" in context and exc.context_mark:
        return exc.context_mark.line + 1, "the quoted text that starts on this line is never closed"
    if problem == "but found another document" and exc.problem_mark:
        return exc.problem_mark.line + 1, "a file holds one YAML document; remove this `---` line"
    mark = exc.problem_mark or exc.context_mark
    return (mark.line + 1 if mark else 1), problem or context


def _build(node: yaml.Node, path: Path, lines: dict[Path, int], offset: int, seen: set) -> object:
    line = node.start_mark.line + 1 + offset
    lines[path] = line
    if len(path) > MAX_DEPTH:
        raise YamlError(line, "invalid YAML: nested too deeply")
    # PyYAML's composer turns `*name` into the anchored node itself, so reuse is how aliases show.
    if id(node) in seen:
        raise YamlError(line, "anchors and aliases (& and *) are not allowed; write the value out")
    seen.add(id(node))
    if node.tag not in _ALLOWED_TAGS:
        raise YamlError(line, f"tag {node.tag!r} is not allowed; remove it")
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_line, "keys must be plain words")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(key_line, "merge keys (`<<`) are not allowed; write the fields out")
            if key_node.tag not in _ALLOWED_TAGS:
                raise YamlError(key_line, f"tag {key_node.tag!r} is not allowed; remove it")
            key = key_node.value  # as typed: `yes:` stays "yes", not True
            if key in result:
                raise YamlError(key_line, f"key {key!r} appears twice", _dotted(path + (key,)))
            result[key] = _build(value_node, path + (key,), lines, offset, seen)
            lines[path + (key,)] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, path + (index,), lines, offset, seen)
            for index, item in enumerate(node.value)
        ]
    return _SCALARS.construct_object(node)


def _dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


dotted = _dotted
