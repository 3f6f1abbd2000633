"""Read the whole content/ tree into validated models, collecting every error on the way.

`read_tree` never raises for bad content: it returns a `ContentTree` whose `errors` list holds
one entry per problem, so an editor sees all of them in one run. A file that parses but breaks
its schema is still kept (as `parsed`, without a model), so the rules that span files also check
it: a duplicate id or an unknown reference in a file with a typo is reported in the same run.

Which files exist and what checks them comes from the registry in `kinds.py`.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from roadmap.catalog.ids import SLUG_PATTERN

from .errors import ContentError, display_path, from_validation_error
from .front_matter import FrontMatterError, split_front_matter
from .kinds import KINDS, markdown_kinds, top_level_kinds
from .rules import check_tree, warn_tree
from .yaml_reader import Located, YamlError, control_characters, decode, dotted, normalise, parse


def schema_comment(kind: str, path: Path, root: Path) -> str:
    """The yaml-language-server line naming the JSON Schema of a file, relative to that file."""
    return KINDS[kind].schema_comment(path, root)


@dataclass
class Document:
    """One parsed file (or, for Markdown, its front matter plus body).

    `model` is the validated schema model, or None when the file broke its schema (then
    `error_fields` names the fields already reported, so no rule reports them a second time).
    """

    path: Path
    kind: str
    model: BaseModel | None
    located: Located
    text: str
    body: str = ""
    error_fields: frozenset[str] = frozenset()

    @property
    def data(self) -> object:
        """The file's values as written (a dict for every file that reached validation)."""
        return self.located.data


@dataclass
class ContentTree:
    root: Path
    documents: list[Document] = field(default_factory=list)  # valid files only
    parsed: list[Document] = field(default_factory=list)  # every file that parsed, valid or not
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)  # worth a look; never fatal
    # tracks[slug] = track.yaml document; stages[slug][level] = stage document (valid ones)
    tracks: dict[str, Document] = field(default_factory=dict)
    stages: dict[str, dict[str, Document]] = field(default_factory=lambda: defaultdict(dict))
    # pages[kind][slug]: the valid documents of each Markdown kind (articles, guides)
    pages: dict[str, dict[str, Document]] = field(
        default_factory=lambda: {kind.name: {} for kind in markdown_kinds()}
    )
    top: dict[str, Document] = field(default_factory=dict)
    # Every track folder, stage file and article found, valid or not: a reference to a file that
    # exists but failed is that file's error alone, not a second error where it is referenced.
    track_folders: set[str] = field(default_factory=set)
    stage_files: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    article_files: set[str] = field(default_factory=set)
    guide_files: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, path: Path, line: int, field_path: str, message: str) -> None:
        self.errors.append(ContentError(display_path(path), line, field_path, message))

    def warn(self, path: Path, line: int, field_path: str, message: str) -> None:
        self.warnings.append(ContentError(display_path(path), line, field_path, message))

    def items(self, kind: str) -> list:
        """The entries of a top-level list file (`[]` when the file is missing or invalid)."""
        document = self.top.get(kind)
        return getattr(document.model, KINDS[kind].list_key) if document else []

    def parsed_of(self, kind: str) -> list[Document]:
        """Every parsed file of a kind, valid or not."""
        return [document for document in self.parsed if document.kind == kind]

    def markdown(self, kind: str) -> dict[str, Document]:
        """The valid Markdown documents of a kind, by slug."""
        return self.pages[kind]

    @property
    def articles(self) -> dict[str, Document]:
        return self.pages["article"]

    @property
    def guides(self) -> dict[str, Document]:
        return self.pages["guide"]


def read_tree(root: Path) -> ContentTree:
    tree = ContentTree(root=root)
    if not root.is_dir():
        tree.error(root, 1, "", "content directory not found")
        return tree
    _read_files(tree)
    check_tree(tree)
    tree.errors.sort()
    if not tree.errors:
        warn_tree(tree)
        tree.warnings.sort()
    return tree


def _read_files(tree: ContentTree) -> None:
    root = tree.root
    for kind in top_level_kinds():
        path = root / kind.pattern
        if not path.exists():
            tree.error(path, 1, "", "file is missing")
            continue
        if document := _read_yaml(tree, path, kind.name):
            tree.top[kind.name] = document

    tracks_dir = root / "tracks"
    for track_dir in sorted(p for p in tracks_dir.glob("*") if p.is_dir()):
        _read_track(tree, track_dir)

    for kind in markdown_kinds():
        target = tree.markdown(kind.name)
        for path in sorted((root / kind.folder).glob("*")):
            if path.suffix != ".md":
                tree.error(path, 1, "", f"unexpected file; {kind.folder}/ holds only .md files")
                continue
            if kind.name == "article":
                tree.article_files.add(path.stem)
            if kind.name == "guide":
                tree.guide_files.add(path.stem)
            if document := _read_markdown(tree, path, kind.name):
                target[path.stem] = document

    known = {root / kind.pattern for kind in top_level_kinds()} | {root / "README.md"}
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
    try:
        parts = split_front_matter(text)
    except FrontMatterError as exc:
        tree.error(path, exc.line, "", exc.message)
        return None
    try:
        located = parse(parts.yaml, first_line=parts.yaml_line)
    except YamlError as exc:
        tree.error(path, exc.line, exc.field_path, exc.message)
        return None
    if not _has_schema_comment(tree, path, kind, parts.yaml.splitlines()[:1], line=2):
        return None
    body = parts.body.strip("\n")
    if not body.strip():
        tree.error(path, parts.closing_line, "", "the text after the front matter is empty")
        return None
    lines = text.splitlines()
    if (line := _first_h1(lines, parts.closing_line)) is not None:
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
    """The file's text with `\n` line endings, or None after reporting why it cannot be used."""
    try:
        text = normalise(decode(path.read_bytes()))
    except YamlError as exc:
        tree.error(path, exc.line, "", exc.message)
        return None
    except OSError as exc:
        tree.error(path, 1, "", f"cannot read file: {exc.strerror}")
        return None
    if found := control_characters(text):
        for line, message in found:
            tree.error(path, line, "", message)
        return None
    return text


def _has_schema_comment(tree, path: Path, kind: str, first: list[str], line: int = 1) -> bool:
    expected = schema_comment(kind, path, tree.root)
    if first and first[0].strip() == expected:
        return True
    tree.error(
        path, line, "", f"first line must be `{expected}`; run `python manage.py content_fix`"
    )
    return False


def _validate(tree, path: Path, kind: str, located: Located, text: str) -> Document | None:
    model = KINDS[kind].schema
    if not isinstance(located.data, dict):
        tree.error(path, 1, "", "the file must hold a mapping of fields (`name: value` lines)")
        return None
    document = Document(path=path, kind=kind, model=None, located=located, text=text)
    tree.parsed.append(document)
    try:
        document.model = model.model_validate(located.data)
    except ValidationError as exc:
        errors = from_validation_error(path, located, model, exc)
        tree.errors.extend(errors)
        document.error_fields = frozenset(error.field for error in errors)
        return None
    tree.documents.append(document)
    return document


def _is_slug(value: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, value) is not None


__all__ = ["ContentTree", "Document", "dotted", "read_tree", "schema_comment"]
