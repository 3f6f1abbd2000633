"""The one schema of every content file.

These models run in `validate_content`, in the loader and in the JSON Schema an editor's IDE uses,
so a green check means the load will succeed. They check the shape of one file; rules that span
files (references, duplicate ids) live in `tree.py`.
"""

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

ID_PATTERN = r"^[a-z][a-z0-9]{7,31}$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class Strict(BaseModel):
    # Unknown keys are errors: a typo like `teachs:` must not pass silently.
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ValueError("must be an http:// or https:// address")
    return value


Text = Annotated[str, Field(min_length=1, max_length=2000)]
Line = Annotated[str, Field(min_length=1, max_length=300)]  # a title or name: one line
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
ItemId = Annotated[str, Field(pattern=ID_PATTERN)]
Url = Annotated[str, Field(max_length=500), AfterValidator(_http_url)]
Cost = Literal["free", "paid"]


class Duration(Strict):
    """How long a stage or a track usually takes; leave `max` out for an open end ("2+ years")."""

    min: Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=1)]
    max: Annotated[Decimal | None, Field(ge=0, max_digits=5, decimal_places=1)] = None
    unit: Literal["weeks", "months", "years"]

    model_config = ConfigDict(extra="forbid", strict=False)

    @model_validator(mode="after")
    def min_not_above_max(self) -> "Duration":
        if self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


class Identified(Strict):
    id: ItemId


# --- site.yaml -------------------------------------------------------------------------------


class StartingPoint(Identified):
    title: Line
    who: Text
    leads_to: Text
    track: Slug | None = None
    level: Slug | None = None


class SiteFile(Strict):
    headline: Line
    intro: Text
    starting_points_intro: Text
    starting_points: Annotated[list[StartingPoint], Field(min_length=1)]
    tracks_intro: Text
    timelines_intro: Text
    mistakes_intro: Text
    start_intro: Text


# --- resources: what a course or reading entry costs in time, and how a stage uses it ----------
# Kept in one block: `effort` and `kind` on every course and reading entry, and a stage's
# `courses:` / `reading:` grouped by label. content/README.md, "Resources: labels, effort, kind,
# limits", explains them to editors.

ResourceKind = Literal["course", "book", "article", "docs", "video", "interactive"]
# A stage's labels, in the order the level page shows them.
RESOURCE_LABELS = ("start_here", "pick_one", "go_deeper")


class Effort(Strict):
    """Realistic hours of a learner's time, `{min, max}`: reading, exercises and all."""

    min: Annotated[Decimal, Field(gt=0, le=2000, max_digits=6, decimal_places=1)]
    max: Annotated[Decimal, Field(gt=0, le=2000, max_digits=6, decimal_places=1)]

    model_config = ConfigDict(extra="forbid", strict=False)

    @model_validator(mode="after")
    def min_not_above_max(self) -> "Effort":
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


class StageResources(Strict):
    """A stage's courses (or reading), each slug under the label of its use in this stage.

    A plain list (`courses: [a, b]`) is accepted as an unlabelled draft so a stage validates
    while its editor decides; `content_report --strict` fails until every entry has a label.
    """

    start_here: list[Slug] = []
    pick_one: list[Slug] = []  # alternatives: a learner needs one of them
    go_deeper: list[Slug] = []
    more_because: Text | None = None  # why this stage lists more than the limit
    unlabelled: SkipJsonSchema[list[Slug]] = []

    @model_validator(mode="before")
    @classmethod
    def plain_list_is_unlabelled(cls, value: object) -> object:
        return {"unlabelled": value} if isinstance(value, list) else value

    def refs(self) -> list[tuple[tuple, str, str]]:
        """(path inside the field, slug, label or "") for every entry, in page order."""
        found = [
            ((label, n), slug, label)
            for label in RESOURCE_LABELS
            for n, slug in enumerate(getattr(self, label))
        ]
        return found + [((n,), slug, "") for n, slug in enumerate(self.unlabelled)]

    def slugs(self) -> list[str]:
        return [slug for _, slug, _ in self.refs()]

    def __len__(self) -> int:  # the number of entries, as a plain list would count them
        return len(self.refs())


# --- the shared lists ------------------------------------------------------------------------


class LevelEntry(Identified):
    slug: Slug
    name: Line
    meaning: Text


class LevelsFile(Strict):
    levels: Annotated[list[LevelEntry], Field(min_length=1)]


class SourceEntry(Identified):
    slug: Slug
    name: Line
    url: Url


class SourcesFile(Strict):
    sources: list[SourceEntry]


class CourseEntry(Identified):
    slug: Slug
    title: Line
    provider: Line
    summary: Text
    url: Url
    cost: Cost
    kind: ResourceKind
    effort: Effort


class CoursesFile(Strict):
    courses: list[CourseEntry]


class ReadingEntry(Identified):
    slug: Slug
    title: Line
    author: Line
    summary: Text
    url: Url
    cost: Cost = "free"
    kind: ResourceKind
    effort: Effort


class ReadingFile(Strict):
    reading: list[ReadingEntry]


class MistakeEntry(Identified):
    slug: Slug
    title: Line
    body: Text


class MistakesFile(Strict):
    mistakes: list[MistakeEntry]


# --- questionnaire.yaml: the /start/ questions that recommend a track and level -------------


class AnswerOption(Identified):
    slug: Slug
    label: Line
    reason: Text  # shown with the recommendation when this answer counted
    level: Slug | None = None  # the starting level this answer implies, if any
    scores: dict[Slug, Annotated[int, Field(ge=0, le=10)]] = {}  # points per track slug


class Question(Identified):
    slug: Slug
    text: Line
    help: Text | None = None
    options: Annotated[list[AnswerOption], Field(min_length=2)]


class QuestionnaireFile(Strict):
    questions: Annotated[list[Question], Field(min_length=1, max_length=12)]


# --- tracks/<track>/track.yaml and tracks/<track>/<level>.yaml -------------------------------


class TrackFile(Identified):
    name: Line
    order: Annotated[int, Field(ge=0, le=2_147_483_647)]
    pitch: Text
    duration: Duration
    duration_note: Line
    entry_level: Slug
    entry_note: Text | None = None
    # The track to start with when a learner is below this track's entry level.
    builds_on: Slug | None = None


class TextItem(Identified):
    text: Text


class ProjectItem(Identified):
    title: Line
    teaches: Text


def _non_empty(kind: type) -> object:
    return Annotated[list[kind], Field(min_length=1)]


class StageFile(Identified):
    duration: Duration
    source: Slug | None = None
    summary: Text
    skills: _non_empty(TextItem)
    ready_when: _non_empty(TextItem)
    projects: _non_empty(ProjectItem)
    courses: StageResources = Field(default_factory=StageResources)
    reading: StageResources = Field(default_factory=StageResources)
    mistakes: _non_empty(TextItem)
    expectations: _non_empty(TextItem)


# --- articles/*.md and guides/*.md front matter ----------------------------------------------


class ArticleFrontMatter(Identified):
    title: Line
    summary: Text


class GuideFrontMatter(Identified):
    title: Line
    summary: Text
    order: Annotated[int, Field(ge=0, le=2_147_483_647)]


# Each file kind: its schema file name, and the model that checks it.
FILE_KINDS: dict[str, type[BaseModel]] = {
    "site": SiteFile,
    "levels": LevelsFile,
    "sources": SourcesFile,
    "courses": CoursesFile,
    "reading": ReadingFile,
    "mistakes": MistakesFile,
    "questionnaire": QuestionnaireFile,
    "track": TrackFile,
    "stage": StageFile,
    "article": ArticleFrontMatter,
    "guide": GuideFrontMatter,
}
