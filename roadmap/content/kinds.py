"""The content kinds: one entry per kind of file in content/, and everything the pipeline needs
to know about it (where its files are, the schema that checks them, the Django model its rows
go to, which key of an entry holds which column, the other kinds they name by slug, the links
they point out to, and how the site search shows them).

The reader (`tree.py`), the cross-file rules (`rules.py`), `content_fix` (`fixer.py`), the JSON
Schemas (`jsonschema.py`), the loader, the exporter and the admin forms (through
`export_map.ROW_MAPS`), the completeness report, the link checker and the search index iterate
over `KINDS` instead of naming kinds one by one. The loader has a step of its own only for the
kinds marked `own_load_step` (site.yaml is one row, stages hold items and course links,
questions hold answers, tracks keep redirects for old slugs).

How to add a kind (say, videos listed in `content/videos.yaml` and linked from stages):

1. In `schema.py`, add the file's models: `VideoEntry(Identified)` with its fields, each with a
   description and an example (editors' IDEs show them on hover; a test insists), and
   `VideosFile(Strict)` holding the list.
2. Add one `ContentKind` to `KINDS` below: `_list_kind("videos", schema=..., model=
   "catalog.Video", noun="video", plural="videos", urls=("url",),
   columns=(*texts("slug title url"), POSITION))`, plus `search=SearchSpec(...)` if the site
   search should find videos. `columns` (see `columns.py`) say which key holds which column of
   the model: the loader reads rows through them, export writes admin edits back through them,
   and the admin form checks input against the entry they make. One Markdown page per entry
   is a `ContentKind(pattern="videos/<slug>.md", markdown=True, self_identified=True,
   placed_by=("slug",), ...)` whose columns put `column("slug", PLACED)` for the file name and
   `column("body", BODY)` for the text. If stages list videos, add `Link(("videos", EVERYTHING_BELOW),
   ("videos",))` to the stage kind's links and a `videos` field to `StageFile`.
3. In roadmap/catalog: the model (a `FileOwned` with `FILE_FIELDS`, like `Course`), its
   migration, its admin (a `FileOwnedAdmin`, whose form checks
   input with the files' schema) and its template.
4. Run `python manage.py content_schema` (writes content/schema/videos.json), add a bad case or
   two under tests/content/bad/, and describe the file in content/README.md.

Reading, validation, unknown references, duplicate ids and slugs, `content_fix`, the JSON Schema,
loading, export, the admin's checks, the link checker and the report then cover the new kind
with no further code (tests/test_content_validation.py registers such a kind and checks so).
Storing stage -> video links in the database, rather than only validating them, would need the
stage's own load step and a link table, as courses have.
"""

import typing
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from . import schema
from .columns import (
    BODY,
    DATA,
    DURATION,
    FLAG,
    STATED,
    LINK,
    NUMBER,
    OPTIONAL,
    PLACED,
    POSITION,
    RESOURCE_FACTS,
    SCORES,
    SLUGS,
    Field,
    Rows,
    column,
    texts,
)

# Where a link's path steps into every item of a list, or every key of a mapping; or, last in a
# path, takes every text below it however it is nested (a list, or lists grouped under labels).
EACH_ITEM = "*"
EACH_KEY = "~"
EVERYTHING_BELOW = "**"


@dataclass(frozen=True)
class Link:
    """A field (at `path` in the file) whose value names an entry of another kind by its slug."""

    path: tuple[str, ...]
    targets: tuple[str, ...]  # the kinds the slug may belong to, in the order messages name them


@dataclass(frozen=True)
class SearchSpec:
    """How the site search shows rows of a kind (see roadmap/search/index.py)."""

    search_kind: str  # roadmap.search.models.Kind value
    label: str  # shown before the title in results, e.g. "Course"
    url_name: str  # the page the entry links to
    anchor: str = ""  # list pages: the row's anchor prefix (`#course-<slug>`)
    selector: str = ""  # list pages: the roadmap.catalog.selectors function listing visible rows


@dataclass(frozen=True)
class ContentKind:
    name: str  # the key used everywhere, and the JSON Schema's file name: schema/<name>.json
    pattern: str  # where its files live, relative to content/ (`<...>` is a name part)
    schema: type[BaseModel]  # the pydantic model that validates one file (or front matter)
    model: str  # the Django model label its rows are loaded into
    noun: str  # one entry, in messages: "unknown course `x`"
    plural: str  # how the report counts them: "12 courses"
    list_key: str | None = None  # a list file: the key holding its entries
    markdown: bool = False  # front matter + Markdown body, one file per entry
    self_identified: bool = False  # the file itself (not only its list items) carries an `id`
    links: tuple[Link, ...] = ()
    urls: tuple[str, ...] = ()  # fields of each entry holding an external address
    search: SearchSpec | None = None
    # Load and export: which key of an entry holds which column of `model` (see columns.py)
    columns: tuple[Field, ...] = ()
    children: tuple[Rows, ...] = ()  # rows of other models inside its files (a stage's items)
    # One file per entry: the row attribute that fills each `<...>` of `pattern`, in order.
    placed_by: tuple[str, ...] = ()
    # The loader syncs this kind in a step of its own (`_Sync.sync_<name>`) rather than the
    # generic one for list files and Markdown pages: site.yaml is one row, stages hold items and
    # course links, questions hold answers, tracks keep redirects for old slugs.
    own_load_step: bool = False

    @property
    def top_level(self) -> bool:
        """A single file at the top of content/ (`courses.yaml`), not one file per entry."""
        return "/" not in self.pattern

    @property
    def folder(self) -> str:
        """The folder of a one-file-per-entry kind (`articles`)."""
        return self.pattern.split("/", 1)[0]

    @property
    def where(self) -> str:
        """Where an editor finds the entries, for messages: `courses.yaml`, `articles/`."""
        return self.pattern if self.top_level else f"{self.folder}/"

    @property
    def entry_schema(self) -> type[BaseModel]:
        """The pydantic model of one entry: a list file's item, else the file's own schema."""
        if not self.list_key:
            return self.schema
        (item,) = typing.get_args(self.schema.model_fields[self.list_key].annotation)
        return item

    @property
    def rows(self) -> tuple[Rows, ...]:
        """Every model whose rows this kind's files hold: its own first, then its children's."""
        own = Rows(self.model, self.entry_schema, self.columns, self.list_key or "")
        return (own, *self.children)

    def file_of(self, row) -> Path:
        """The file (relative to content/) a row of `model` is loaded from."""
        parts = iter(self.placed_by)
        names = [
            _fill(part, _attribute(row, next(parts))) if part.startswith("<") else part
            for part in self.pattern.split("/")
        ]
        return Path(*names)

    @property
    def glob(self) -> str:
        """`pattern` as a glob over content/ (`tracks/*/*.yaml`)."""
        return "/".join(_fill(part, "*") for part in self.pattern.split("/"))

    def schema_comment(self, path: Path, root: Path) -> str:
        """The yaml-language-server line naming this kind's JSON Schema, relative to `path`."""
        depth = len(path.relative_to(root).parts) - 1
        return f"# yaml-language-server: $schema={'../' * depth}schema/{self.name}.json"


def _fill(part: str, name: str) -> str:
    """`<slug>.md` with its name part filled in; a part without one stays as it is."""
    return name + part.split(">", 1)[1] if part.startswith("<") else part


def _attribute(row, path: str) -> str:
    """`row.track.slug` for the path `track.slug`."""
    for name in path.split("."):
        row = getattr(row, name)
    return row


def _resource_links(field: str, targets: tuple[str, ...]) -> tuple["Link", ...]:
    """A stage's `courses:`/`reading:`: a plain list, or slugs grouped under their labels."""
    return (
        Link((field, EACH_ITEM), targets),
        *(Link((field, label, EACH_ITEM), targets) for label in schema.RESOURCE_LABELS),
    )


def _list_kind(name: str, list_key: str = "", **details) -> ContentKind:
    """A list file at the top of content/ (`courses.yaml` holding `courses:`)."""
    return ContentKind(name=name, pattern=f"{name}.yaml", list_key=list_key or name, **details)


_OPTION = ("questions", EACH_ITEM, "options", EACH_ITEM)

KINDS: dict[str, ContentKind] = {
    kind.name: kind
    for kind in (
        ContentKind(
            name="site",
            pattern="site.yaml",
            schema=schema.SiteFile,
            model="catalog.SiteText",
            noun="site text",
            plural="site texts",
            links=(
                Link(("starting_points", EACH_ITEM, "track"), ("track",)),
                Link(("transitions_guide",), ("guide",)),
            ),
            columns=(
                *texts(
                    "headline intro starting_points_intro tracks_intro timelines_intro "
                    "mistakes_intro start_intro"
                ),
                column("transitions_guide", OPTIONAL),
            ),
            children=(
                Rows(
                    "catalog.StartingPoint",
                    schema.StartingPoint,
                    (
                        *texts("title who leads_to"),
                        column("track_id=track", LINK, "track"),
                        column("level_id=level", LINK, "levels"),
                        POSITION,
                    ),
                    "starting_points",
                ),
            ),
            own_load_step=True,
        ),
        _list_kind(
            "levels",
            schema=schema.LevelsFile,
            model="catalog.Level",
            noun="level",
            plural="levels",
            columns=(*texts("slug name meaning"), POSITION),
        ),
        _list_kind(
            "sources",
            schema=schema.SourcesFile,
            model="catalog.Source",
            noun="source",
            plural="sources",
            urls=("url",),
            columns=(
                *texts("slug name url measures"),
                column("gives_time_per_level", FLAG),
                POSITION,
            ),
        ),
        _list_kind(
            "courses",
            schema=schema.CoursesFile,
            model="catalog.Course",
            noun="course",
            plural="courses",
            urls=("url",),
            search=SearchSpec("course", "Course", "courses", "course", "course_list"),
            columns=(*texts("slug title provider summary url cost"), *RESOURCE_FACTS, POSITION),
        ),
        _list_kind(
            "reading",
            schema=schema.ReadingFile,
            model="catalog.Reading",
            noun="reading",
            plural="reading entries",
            urls=("url",),
            search=SearchSpec("reading", "Reading", "reading", "reading", "reading_list"),
            columns=(*texts("slug title author summary url cost"), *RESOURCE_FACTS, POSITION),
        ),
        _list_kind(
            "mistakes",
            schema=schema.MistakesFile,
            model="catalog.CommonMistake",
            noun="common mistake",
            plural="common mistakes",
            columns=(*texts("slug title body"), POSITION),
        ),
        _list_kind(
            "search_synonyms",
            list_key="synonyms",
            schema=schema.SearchSynonymsFile,
            model="catalog.SearchSynonym",
            noun="search synonym",
            plural="search synonyms",
            columns=(*texts("slug term"), column("also", SCORES), POSITION),
        ),
        _list_kind(
            "questionnaire",
            list_key="questions",
            schema=schema.QuestionnaireFile,
            model="catalog.Question",
            noun="question",
            plural="questions",
            links=(
                Link((*_OPTION, "level"), ("levels",)),
                Link((*_OPTION, "scores", EACH_KEY), ("track",)),
                Link((*_OPTION, "reasons", EACH_KEY), ("track",)),
                Link((*_OPTION, "serves", EACH_ITEM), ("track",)),
            ),
            columns=(*texts("slug text"), column("help", OPTIONAL), POSITION),
            children=(
                Rows(
                    "catalog.AnswerOption",
                    schema.AnswerOption,
                    (
                        column("question_id", PLACED),
                        *texts("slug label"),
                        column("level_id=level", LINK, "levels"),
                        column("reason", OPTIONAL),
                        column("scores", SCORES),
                        column("reasons", SCORES),
                        column("serves", SCORES),
                        POSITION,
                    ),
                    "options",
                    owner="question",
                ),
            ),
            own_load_step=True,
        ),
        ContentKind(
            name="track",
            pattern="tracks/<track>/track.yaml",
            schema=schema.TrackFile,
            model="catalog.Track",
            noun="track",
            plural="tracks",
            self_identified=True,
            links=(
                Link(("entry_level",), ("levels",)),
                Link(("builds_on",), ("track",)),
                Link(("timeline", "from"), ("levels",)),
                Link(("timeline", "to"), ("levels",)),
                Link(("timeline", "extras", EACH_ITEM, "after"), ("levels",)),
            ),
            columns=(
                column("slug", PLACED),  # the folder name
                column("name"),
                column("order", NUMBER),
                column("pitch"),
                *STATED,
                column("timeline", DATA),
                column("entry_level_id=entry_level", LINK, "levels"),
                column("entry_note", OPTIONAL),
                column("builds_on", OPTIONAL),
            ),
            placed_by=("slug",),
            own_load_step=True,
        ),
        ContentKind(
            name="stage",
            pattern="tracks/<track>/<level>.yaml",
            schema=schema.StageFile,
            model="catalog.Stage",
            noun="stage",
            plural="stages",
            self_identified=True,
            links=(
                Link(("source",), ("sources",)),
                *_resource_links("courses", ("courses",)),
                *_resource_links("reading", ("reading", "article")),
            ),
            columns=(
                column("track_id", PLACED),  # the folder
                column("level_id", PLACED),  # the file name
                column("source_id=source", LINK, "sources"),
                column("summary"),
                *DURATION,
                column("courses", SLUGS),
                column("reading", SLUGS),
                # after the lists: the reason lives inside the `courses:` / `reading:` mapping
                column("courses_more_because=courses.more_because", OPTIONAL),
                column("reading_more_because=reading.more_because", OPTIONAL),
            ),
            children=(
                Rows(
                    "catalog.StageItem",
                    schema.TextItem,  # schema.ProjectItem for projects: see export_map.schema_for
                    (
                        column("stage_id", PLACED),
                        column("kind", PLACED),
                        POSITION,
                        column("text"),  # `title:` for a project: see export_map.key_of
                        column("teaches", OPTIONAL),
                    ),
                    owner="stage",
                ),
            ),
            placed_by=("track.slug", "level.slug"),
            own_load_step=True,
        ),
        ContentKind(
            name="article",
            pattern="articles/<slug>.md",
            schema=schema.ArticleFrontMatter,
            model="catalog.Article",
            noun="article",
            plural="articles",
            markdown=True,
            self_identified=True,
            search=SearchSpec("article", "Article", "article"),
            columns=(column("slug", PLACED), *texts("title summary"), column("body", BODY)),
            placed_by=("slug",),
        ),
        ContentKind(
            name="guide",
            pattern="guides/<slug>.md",
            schema=schema.GuideFrontMatter,
            model="catalog.Guide",
            noun="guide",
            plural="guides",
            markdown=True,
            self_identified=True,
            search=SearchSpec("guide", "Guide", "guide"),
            columns=(
                column("slug", PLACED),
                *texts("title summary"),
                column("body", BODY),
                column("order", NUMBER),
            ),
            placed_by=("slug",),
        ),
    )
}


def top_level_kinds() -> list[ContentKind]:
    """The kinds with one file at the top of content/, in registry order."""
    return [kind for kind in KINDS.values() if kind.top_level]


def markdown_kinds() -> list[ContentKind]:
    """The kinds with one Markdown file per entry in a folder of their own."""
    return [kind for kind in KINDS.values() if kind.markdown]


def locate(path: Path) -> tuple[Path, ContentKind] | None:
    """The content root a file belongs to, and its kind, from where it sits (`tracks/x/y.yaml`)."""
    path = path.resolve()
    for kind in KINDS.values():
        parts = kind.pattern.split("/")
        if len(path.parts) <= len(parts):
            continue
        tail = path.parts[-len(parts) :]
        if all(_matches(name, part) for name, part in zip(tail, parts, strict=True)):
            return path.parents[len(parts) - 1], kind
    return None


def _matches(name: str, part: str) -> bool:
    if not part.startswith("<"):
        return name == part
    suffix = part.split(">", 1)[1]  # `<level>.yaml` matches any stem ending in .yaml (or .yml)
    return name.endswith(suffix) or (suffix == ".yaml" and name.endswith(".yml"))
