"""`content_fix`: write the ids and schema lines editors should never have to type.

Edits are textual insertions at the positions PyYAML reports, so comments, quoting, order and
blank lines stay exactly as the editor left them.
"""

from pathlib import Path

import yaml

from roadmap.catalog.ids import new_id
from .tree import FRONT_MATTER, TOP_FILES, schema_comment
from .yaml_reader import YamlError, decode

# Kinds whose file (or front matter) is itself an item with an id.
SELF_IDENTIFIED = {"track", "stage", "article", "guide"}


def content_files(root: Path) -> list[tuple[Path, str]]:
    """Every content file with its kind, in a stable order."""
    files = [(root / name, kind) for name, kind in TOP_FILES.items() if (root / name).exists()]
    for track_dir in sorted(p for p in (root / "tracks").glob("*") if p.is_dir()):
        for path in sorted(track_dir.glob("*.y*ml")):
            files.append((path, "track" if path.name == "track.yaml" else "stage"))
    for folder, kind in (("articles", "article"), ("guides", "guide")):
        files += [(path, kind) for path in sorted((root / folder).glob("*.md"))]
    return files


def content_fix(*, root: Path) -> dict[Path, int]:
    """Add missing ids and schema lines; returns {file: number of changes} for changed files."""
    changed = {}
    for path, kind in content_files(root):
        try:
            text = decode(path.read_bytes())
        except YamlError:
            continue  # validate_content explains why the file cannot be read
        fixed, count = fix_text(text, kind, schema_comment(kind, path, root))
        if count:
            path.write_text(fixed, encoding="utf-8")
            changed[path] = count
    return changed


def fix_text(text: str, kind: str, comment: str) -> tuple[str, int]:
    lines = text.splitlines(keepends=True)
    start = 0  # index of the first line of YAML
    if kind in {"article", "guide"}:
        if not lines or lines[0].strip() != FRONT_MATTER:
            return text, 0
        start = 1
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER), None)
        if end is None:
            return text, 0
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
    try:
        node = yaml.compose("".join(lines[start:end]), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return "".join(lines), changes  # validate_content explains the syntax error
    spots = []
    if isinstance(node, yaml.MappingNode):
        if kind in SELF_IDENTIFIED:
            spots += _missing(node)
        spots += _missing_in_lists(node, set())
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


def _missing_in_lists(node: yaml.Node, seen: set[int]) -> list[tuple[int, int, bool]]:
    # `seen`: an alias makes nodes shared; visiting each once keeps an alias bomb linear.
    if id(node) in seen:
        return []
    seen.add(id(node))
    spots = []
    if isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            spots += _missing_in_lists(value, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.MappingNode) and id(item) not in seen:
                spots += _missing(item)
            spots += _missing_in_lists(item, seen)
    return spots
