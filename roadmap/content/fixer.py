"""`content_fix`: write the ids and schema lines editors should never have to type.

Edits are textual insertions at the positions PyYAML reports, so comments, quoting, order, blank
lines, line endings (LF or CRLF) and a byte order mark stay exactly as the editor left them.
"""

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from roadmap.catalog.ids import new_id

from .errors import ContentError, display_path
from .front_matter import FrontMatterError, split_front_matter
from .kinds import KINDS, markdown_kinds, top_level_kinds
from .yaml_reader import Loader, YamlError, decode, normalise, parse


@dataclass
class FixResult:
    changed: dict[Path, int] = field(default_factory=dict)  # file -> number of fixes
    errors: list[ContentError] = field(default_factory=list)  # files that could not be read


def content_files(root: Path) -> list[tuple[Path, str]]:
    """Every content file with its kind, in a stable order."""
    files = [
        (root / kind.pattern, kind.name)
        for kind in top_level_kinds()
        if (root / kind.pattern).exists()
    ]
    for track_dir in sorted(p for p in (root / "tracks").glob("*") if p.is_dir()):
        for path in sorted(track_dir.glob("*.y*ml")):
            files.append((path, "track" if path.name == "track.yaml" else "stage"))
    for kind in markdown_kinds():
        files += [(path, kind.name) for path in sorted((root / kind.folder).glob("*.md"))]
    return files


def content_fix(*, root: Path, only: Path | None = None) -> FixResult:
    """Add missing ids and schema lines to every file under `root` (or just the file `only`)."""
    result = FixResult()
    for path, kind in content_files(root):
        if only is not None and path.resolve() != only.resolve():
            continue
        try:
            raw = path.read_bytes()
            text = decode(raw)
        except OSError as exc:
            result.errors.append(_cannot_read(path, 1, exc.strerror or str(exc)))
            continue
        except YamlError as exc:
            result.errors.append(_cannot_read(path, exc.line, exc.message))
            continue
        newline = "\r\n" if "\r\n" in text else "\n"
        fixed, count = fix_text(normalise(text), kind, KINDS[kind].schema_comment(path, root))
        if count:
            bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
            path.write_bytes(bom + fixed.replace("\n", newline).encode("utf-8"))
            result.changed[path] = count
    return result


def _cannot_read(path: Path, line: int, reason: str) -> ContentError:
    return ContentError(display_path(path), line, "", f"cannot fix this file: {reason}")


def fix_text(text: str, kind: str, comment: str) -> tuple[str, int]:
    """`text` (with `\n` line endings) with its missing ids and schema line added."""
    lines = text.splitlines(keepends=True)
    start = 0  # index of the first line of YAML
    if KINDS[kind].markdown:
        try:
            end = split_front_matter(text).end
        except FrontMatterError:
            return text, 0  # validate_content explains what is wrong
        start = 1
    else:
        end = len(lines)
    changes = 0
    if start < len(lines) and lines[start].startswith("# yaml-language-server:"):
        if lines[start].strip() != comment:
            lines[start] = comment + "\n"
            changes += 1
    else:
        lines.insert(start, comment + "\n")
        end += 1
        changes += 1
    source = "".join(lines[start:end])
    try:
        parse(source)  # refuses what the reader refuses: bad syntax, tags, aliases, deep nesting
    except YamlError:
        return "".join(lines), changes  # validate_content explains the problem
    node = yaml.compose(source, Loader=Loader)
    spots = []
    if isinstance(node, yaml.MappingNode):
        if KINDS[kind].self_identified:
            spots += _missing(node)
        spots += _missing_in_lists(node)
    for line, column, flow in sorted(spots, reverse=True):
        index = start + line
        current = lines[index]
        if flow:  # `{title: x}` becomes `{id: k3f9x2ab7q, title: x}`
            lines[index] = current[: column + 1] + f"id: {new_id()}, " + current[column + 1 :]
        else:  # the id goes on its own line, at the column of the mapping's first key
            lines[index] = current[:column] + f"id: {new_id()}\n" + " " * column + current[column:]
        changes += 1
    return "".join(lines), changes


def _missing(node: yaml.MappingNode) -> list[tuple[int, int, bool]]:
    keys = {key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    if "id" in keys or not node.value:
        return []
    mark = node.start_mark if node.flow_style else node.value[0][0].start_mark
    return [(mark.line, mark.column, bool(node.flow_style))]


def _missing_in_lists(node: yaml.Node) -> list[tuple[int, int, bool]]:
    spots = []
    if isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            spots += _missing_in_lists(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                spots += _missing(item)
            spots += _missing_in_lists(item)
    return spots
