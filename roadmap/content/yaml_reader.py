"""Safe YAML parsing that remembers the line of every value.

Editors need errors that name a line, so we compose PyYAML's node tree ourselves instead of
calling `safe_load`. Walking the nodes also lets us refuse what a content file never needs and an
attacker might send: anchors and aliases (the "billion laughs" bomb), custom tags such as
`!!python/object`, and duplicate keys that PyYAML would silently overwrite.
"""

import codecs
import re
from dataclasses import dataclass, field

import yaml

try:  # the C parser is much faster; fall back where libyaml is missing
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader

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
    """Bytes to text, refusing oversized files and naming the line of any invalid UTF-8.

    What editors' tools add without asking is accepted: a UTF-8 byte order mark is dropped here,
    and Windows (CRLF) or old Mac (CR) line endings read like plain newlines (see `normalise`).
    """
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(1, f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(line, "file is not valid UTF-8 text; save it as UTF-8") from None


def normalise(text: str) -> str:
    """Every line ending as `\n`, whatever the editor saved."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise_text(value: str) -> str:
    """A text value as a load ends up holding it: line endings as `normalise` reads a file, no
    surrounding whitespace (the schema strips it). The exporter compares and writes text through
    this, and the admin forms clean text with it: a browser sends CRLF from a textarea, and
    without this an admin's edit would differ from what the file gives back after export, so the
    next load would stop on it forever."""
    return normalise(value).strip()


# Characters no content needs and a database may refuse (PostgreSQL stores no NUL): the C0 and C1
# control characters except tab and line breaks, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
                  0x1B: "ESC", 0x7F: "DEL"}  # fmt: skip


def control_characters(text: str, *, first_line: int = 1) -> list[tuple[int, str]]:
    """(line, message) for every line of `text` holding an invisible control character."""
    found = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if match := _CONTROL.search(line):
            found.append((number, _control_message(match.group())))
    return found


def _control_message(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code)
    label = f"U+{code:04X}" + (f" ({name})" if name else "")
    return (
        f"invisible control character {label} in this line; delete it "
        "(retype the line if your editor does not show it)"
    )


def parse(text: str, *, first_line: int = 1) -> Located:
    """Parse one YAML document. `first_line` offsets line numbers (front matter inside Markdown)."""
    offset = first_line - 1
    for number, line in enumerate(text.splitlines(), start=first_line):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            raise YamlError(number, "tab character in indentation; indent with spaces")
    try:
        loader = Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        line, message = _explain(exc)
        raise YamlError(line + offset, f"invalid YAML: {message}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlError(line, f"character U+{code:04X} is not allowed; delete it") from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"invalid YAML: {exc}") from None
    located = Located(data=None)
    if node is not None:
        located.data = _build(node, (), located.lines, offset, set())
    return located


# PyYAML's wording for the syntax errors editors make, and what to check instead, in plain words.
_PLAIN_WORDS = {
    "did not find expected '-' indicator": (
        "the items of a list must line up: start each `- ` in the same column as the first one"
    ),
    "did not find expected key": (
        "this line does not line up with the fields around it: check its indentation (spaces at "
        "the start) and any quote left open on the lines above"
    ),
    "did not find expected ',' or ']'": (
        "a `[...]` list is not closed or lacks a comma: end it with `]` and separate items with "
        "`, `; put an item holding `,` `:` or `]` in quotes"
    ),
    "did not find expected ',' or '}'": (
        "a `{...}` mapping is not closed or lacks a comma: end it with `}` and separate fields "
        "with `, `"
    ),
    "mapping values are not allowed in this context": (
        "a `: ` inside a value, or a field indented differently from the one above it: put a "
        'value holding `: ` in quotes, like `title: "Django: the basics"`, and line up the fields '
        "of one item in the same column"
    ),
    "could not find expected ':'": (
        "a line that is neither `name: value` nor a list item: add the missing `: ` or close the "
        "quote opened on the line above"
    ),
    "found character that cannot start any token": (
        "a value starts with a character YAML reserves (`` ` `` `@` `%` `|` `>` or a tab); put the "
        "value in quotes"
    ),
    "did not find expected node content": (
        "a value is missing (after `- `, `,` or `:`), or starts with a reserved character; write "
        "the value or put it in quotes"
    ),
    "found unexpected ':'": "a `:` in an unexpected place; put the value in quotes",
    "found undefined alias": "anchors and aliases (& and *) are not allowed; write the value out",
}
_EXPECTED_BLOCK_END = (
    "this line is indented differently from the lines above it: line up fields of the same item "
    "in the same column, using spaces"
)


def _explain(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line and wording an editor can act on, for the syntax errors editors actually make."""
    context, problem = exc.context or "", exc.problem or ""
    if "quoted scalar" in context and exc.context_mark:
        return exc.context_mark.line + 1, "the quoted text that starts on this line is never closed"
    if problem == "but found another document" and exc.problem_mark:
        return exc.problem_mark.line + 1, "a file holds one YAML document; remove this `---` line"
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    for wording, plain in _PLAIN_WORDS.items():
        if problem.startswith(wording):
            return line, plain
    if problem.startswith("expected <block end>"):
        return line, _EXPECTED_BLOCK_END
    # Not one we know: PyYAML's own words, and where to look.
    return line, f"{problem or context}; check the indentation and the quotes on this line"


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
    value = _SCALARS.construct_object(node)
    if isinstance(value, str) and (match := _CONTROL.search(value)):
        # Only an escape in double quotes (`"\\0"`) gets here: typed characters are refused earlier.
        code = ord(match.group())
        message = (
            f"an escape in quotes (like `\\0`) makes the invisible control character U+{code:04X}; "
            "remove the escape"
        )
        raise YamlError(line, message, _dotted(path))
    return value


def _dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


dotted = _dotted
