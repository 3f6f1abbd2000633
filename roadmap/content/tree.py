"""Read the whole content/ tree into validated models, collecting every error on the way.

`read_tree` never raises for bad content: it returns a `ContentTree` whose `errors` list holds
one entry per problem, so an editor sees all of them in one run.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import schema
from .errors import ContentError, display_path, from_validation_error
from .rules import check_tree
from .yaml_reader import Located, YamlError, decode, dotted, parse

# Files at the top of content/ and the kind of each.
TOP_FILES = {
    "site.yaml": "site",
    "levels.yaml": "levels",
    "sources.yaml": "sources",
    "courses.yaml": "courses",
    "reading.yaml": "reading",
    "mistakes.yaml": "mistakes",
    "questionnaire.yaml": "questionnaire",
}
FRONT_MATTER = "---"


def schema_comment(kind: str, path: Path, root: Path) -> str:
    """The yaml-language-server line naming the JSON Schema of a file, relative to that file."""
    depth = len(path.relative_to(root).parts) - 1
    return f"# yaml-language-server: $schema={'../' * depth}schema/{kind}.json"


@dataclass
class Document:
    """One validated file (or, for Markdown, its front matter plus body)."""

    path: Path
    kind: str
    model: BaseModel
    located: Located
    text: str
    body: str = ""


@dataclass
class ContentTree:
    root: Path
    documents: list[Document] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    # tracks[slug] = track.yaml document; stages[slug][level] = stage document
    tracks: dict[str, Document] = field(default_factory=dict)
    stages: dict[str, dict[str, Document]] = field(default_factory=lambda: defaultdict(dict))
    articles: dict[str, Document] = field(default_factory=dict)
    guides: dict[str, Document] = field(default_factory=dict)
    top: dict[str, Document] = field(default_factory=dict)
    # Every track folder, stage file and article found, valid or not: a reference to a file that
    # exists but failed is that file's error alone, not a second error where it is referenced.
    track_folders: set[str] = field(default_factory=set)
    stage_files: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    article_files: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, path: Path, line: int, field_path: str, message: str) -> None:
        self.errors.append(ContentError(display_path(path), line, field_path, message))

    def items(self, kind: str) -> list:
        """The entries of a top-level list file (`[]` when the file is missing or invalid)."""
        document = self.top.get(kind)
        return getattr(document.model, kind) if document else []


def read_tree(root: Path) -> ContentTree:
    tree = ContentTree(root=root)
    if not root.is_dir():
        tree.error(root, 1, "", "content directory not found")
        return tree
    _read_files(tree)
    check_tree(tree)
    tree.errors.sort()
    return tree


def _read_files(tree: ContentTree) -> None:
    root = tree.root
    for name, kind in TOP_FILES.items():
        path = root / name
        if not path.exists():
            tree.error(path, 1, "", "file is missing")
            continue
        if document := _read_yaml(tree, path, kind):
            tree.top[kind] = document

    tracks_dir = root / "tracks"
    for track_dir in sorted(p for p in tracks_dir.glob("*") if p.is_dir()):
        _read_track(tree, track_dir)

    for folder, kind, target in (
        ("articles", "article", tree.articles),
        ("guides", "guide", tree.guides),
    ):
        for path in sorted((root / folder).glob("*")):
            if path.suffix != ".md":
                tree.error(path, 1, "", f"unexpected file; {folder}/ holds only .md files")
                continue
            if kind == "article":
                tree.article_files.add(path.stem)
            if document := _read_markdown(tree, path, kind):
                target[path.stem] = document

    known = {root / name for name in TOP_FILES} | {root / "README.md"}
    for path in sorted(root.glob("*")):
        if path.is_file() and path not in known and not path.name.startswith("."):
            tree.error(path, 1, "", "unexpected file; see content/README.md for the layout")


def _read_track(tree: ContentTree, track_dir: Path) -> None:
    slug = track_dir.name
    if not _is_slug(slug) or len(slug) > 80:
        tree.error(track_dir, 1, "", "track folder name must be a lowercase slug, like `backend`")
        return
    tree.track_folders.add(slug)
    track_file = track_dir / "track.yaml"
    if not track_file.exists():
        tree.error(track_file, 1, "", f"track folder `{slug}` has no track.yaml")
    elif document := _read_yaml(tree, track_file, "track"):
        tree.tracks[slug] = document
    for path in sorted(track_dir.iterdir()):
        if path.name == "track.yaml":
            continue
        if path.suffix not in {".yaml", ".yml"}:
            tree.error(
                path, 1, "", "unexpected file; a track folder holds track.yaml and <level>.yaml"
            )
            continue
        level = path.stem
        if level in tree.stage_files[slug]:
            tree.error(path, 1, "", f"level `{level}` appears twice in track `{slug}`")
            continue
        tree.stage_files[slug].add(level)
        if document := _read_yaml(tree, path, "stage"):
            tree.stages[slug][level] = document


def _read_yaml(tree: ContentTree, path: Path, kind: str) -> Document | None:
    text = _read_text(tree, path)
    if text is None:
        return None
    try:
        located = parse(text)
    except YamlError as exc:
        tree.error(path, exc.line, exc.field_path, exc.message)
        return None
    if not _has_schema_comment(tree, path, kind, text.splitlines()[:1]):
        return None
    return _validate(tree, path, kind, located, text)


def _read_markdown(tree: ContentTree, path: Path, kind: str) -> Document | None:
    text = _read_text(tree, path)
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER:
        tree.error(path, 1, "", "must start with front matter: a `---` line, YAML fields, `---`")
        return None
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FRONT_MATTER)
    except StopIteration:
        tree.error(path, 1, "", "front matter is not closed by a second `---` line")
        return None
    try:
        located = parse("\n".join(lines[1:end]), first_line=2)
    except YamlError as exc:
        tree.error(path, exc.line, exc.field_path, exc.message)
        return None
    if not _has_schema_comment(tree, path, kind, lines[1:2], line=2):
        return None
    body = "\n".join(lines[end + 1 :]).strip("\n")
    if not body.strip():
        tree.error(path, end + 1, "", "the text after the front matter is empty")
        return None
    if (line := _first_h1(lines, end + 1)) is not None:
        tree.error(path, line, "", "use `##` headings; the title is the page's only `#` heading")
        return None
    document = _validate(tree, path, kind, located, text)
    if document:
        document.body = body
    return document


def _first_h1(lines: list[str], start: int) -> int | None:
    """The 1-based line of the first `# heading` outside fenced code, if any."""
    fenced = False
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("# "):
            return number
    return None


def _read_text(tree: ContentTree, path: Path) -> str | None:
    try:
        return decode(path.read_bytes())
    except YamlError as exc:
        tree.error(path, exc.line, "", exc.message)
    except OSError as exc:
        tree.error(path, 1, "", f"cannot read file: {exc.strerror}")
    return None


def _has_schema_comment(tree, path: Path, kind: str, first: list[str], line: int = 1) -> bool:
    expected = schema_comment(kind, path, tree.root)
    if first and first[0].strip() == expected:
        return True
    tree.error(
        path, line, "", f"first line must be `{expected}`; run `python manage.py content_fix`"
    )
    return False


def _validate(tree, path: Path, kind: str, located: Located, text: str) -> Document | None:
    model = schema.FILE_KINDS[kind]
    if not isinstance(located.data, dict):
        tree.error(path, 1, "", "the file must hold a mapping of fields (`name: value` lines)")
        return None
    try:
        instance = model.model_validate(located.data)
    except ValidationError as exc:
        tree.errors.extend(from_validation_error(path, located, model, exc))
        return None
    document = Document(path=path, kind=kind, model=instance, located=located, text=text)
    tree.documents.append(document)
    return document


def _is_slug(value: str) -> bool:
    return re.fullmatch(schema.SLUG_PATTERN, value) is not None


__all__ = ["ContentTree", "Document", "dotted", "read_tree", "schema_comment"]
