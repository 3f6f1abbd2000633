"""The one schema of every content file.

These models run in `validate_content`, in the loader and in the JSON Schema an editor's IDE uses,
so a green check means the load will succeed. They check the shape of one file; rules that span
files (references, duplicate ids) live in `rules.py`. Every field carries a `description` and an
example: the IDE shows them on hover, and `content/README.md` says the same in prose.
"""

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from roadmap.catalog.ids import ID_PATTERN, SLUG_PATTERN

URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
# Text that is not only spaces: what `str_strip_whitespace` plus `min_length=1` accept.
NOT_BLANK_PATTERN = r"\S"
DURATION_EXAMPLE = "{min: 6, max: 12, unit: months}"


class Strict(BaseModel):
    # Unknown keys are errors: a typo like `teachs:` must not pass silently.
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


def _http_url(value: str) -> str:
    if not re.match(URL_PATTERN, value):
        raise ValueError("must be an http:// or https:// address, like `https://example.com/`")
    return value


def _number(value: object) -> object:
    """Durations are numbers: `"6"` in quotes or `yes` would be accepted by a lax parser."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a number without quotes, like `6` or `1.5`")
    return value


def _field(description: str, example: object, **kwargs) -> object:
    return Field(description=description, examples=[example], **kwargs)


Text = Annotated[
    str, Field(min_length=1, max_length=2000, json_schema_extra={"pattern": NOT_BLANK_PATTERN})
]
Line = Annotated[  # a title or name: one line
    str, Field(min_length=1, max_length=300, json_schema_extra={"pattern": NOT_BLANK_PATTERN})
]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
ItemId = Annotated[str, Field(pattern=ID_PATTERN)]
Url = Annotated[
    str,
    Field(max_length=500, json_schema_extra={"pattern": URL_PATTERN}),
    AfterValidator(_http_url),
]
Cost = Literal["free", "paid"]
Amount = Annotated[
    Decimal,
    BeforeValidator(_number),
    Field(ge=0, max_digits=5, decimal_places=1),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 9999.9}),
]
ID_DESCRIPTION = "Stable id of this item. Never type or change one: `content_fix` writes it."


class Duration(Strict):
    """How long a stage or a track usually takes; leave `max` out for an open end ("2+ years")."""

    min: Amount = _field("The usual shortest time, a number (one decimal at most).", 6)
    max: Annotated[Amount | None, WithJsonSchema({"type": ["number", "null"], "minimum": 0})] = (
        _field(
            'The usual longest time; leave it out for an open end ("6+ months").', 12, default=None
        )
    )
    unit: Literal["weeks", "months", "years"] = _field("`weeks`, `months` or `years`.", "months")

    model_config = ConfigDict(extra="forbid", strict=False, json_schema_extra={
        "examples": [{"min": 6, "max": 12, "unit": "months"}, {"min": 2, "unit": "years"}]
    })  # fmt: skip

    @model_validator(mode="after")
    def min_not_above_max(self) -> "Duration":
        if self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


DurationField = Annotated[
    Duration,
    Field(
        description=f"How long it usually takes, as `{DURATION_EXAMPLE}`; `max` is optional.",
        examples=[{"min": 6, "max": 12, "unit": "months"}],
    ),
]


class Identified(Strict):
    id: ItemId = _field(ID_DESCRIPTION, "k3f9x2ab7q")


# --- site.yaml -------------------------------------------------------------------------------


class StartingPoint(Identified):
    """One "where do I start?" card on the home page."""

    title: Line = _field("The card's heading.", "Start from zero")
    who: Text = _field("Who this starting point is for.", "You have never written a program.")
    leads_to: Text = _field("Where it takes the learner.", "The Beginner stage of Backend.")
    track: Slug | None = _field(
        "The track it leads to (a folder under tracks/).", "backend", default=None
    )
    level: Slug | None = _field(
        "The level of that track to open; needs `track`.", "beginner", default=None
    )


class SiteFile(Strict):
    """site.yaml: the home page's texts and its starting points."""

    headline: Line = _field("The home page's main heading.", "From first line of code to Senior")
    intro: Text = _field("The paragraph under the headline.", "An honest path, level by level.")
    starting_points_intro: Text = _field("Text above the starting points.", "Pick your start.")
    starting_points: Annotated[list[StartingPoint], Field(min_length=1)] = _field(
        "The starting-point cards, in the order shown.",
        [{"title": "Start from zero", "who": "New to code.", "leads_to": "Beginner."}],
    )
    tracks_intro: Text = _field("Text above the list of tracks.", "Each track is one career.")
    timelines_intro: Text = _field("Text above the timelines.", "How long each level takes.")
    mistakes_intro: Text = _field("Text above the common mistakes.", "Everyone makes these.")
    start_intro: Text = _field("The intro of the /start/ questionnaire.", "Five questions.")
    transitions_guide: Slug | None = _field(
        "The guide (a file name under guides/, without .md) that a level links to once all its"
        " criteria are ticked: how to make the jump to the next level.",
        "transitions",
        default=None,
    )


# --- resources: what a course or reading entry costs in time, and how a stage uses it ----------
# Kept in one block: `effort` and `kind` on every course and reading entry, and a stage's
# `courses:` / `reading:` grouped by label. content/README.md, "Resources: labels, effort, kind,
# limits", explains them to editors.

ResourceKind = Literal["course", "book", "article", "docs", "video", "interactive"]
# A stage's labels, in the order the level page shows them.
RESOURCE_LABELS = ("start_here", "pick_one", "go_deeper")


Hours = Annotated[
    Decimal,
    BeforeValidator(_number),
    Field(gt=0, le=2000, max_digits=6, decimal_places=1),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 2000}),
]
KIND_DESCRIPTION = "What it is: course, book, article, docs, video or interactive."
EFFORT_DESCRIPTION = "Realistic hours of a learner's time, as `{min: 10, max: 20}`."


class Effort(Strict):
    """Realistic hours of a learner's time, `{min, max}`: reading, exercises and all."""

    min: Hours = _field("The fewest hours a learner usually needs.", 10)
    max: Hours = _field("The most hours a learner usually needs.", 20)

    model_config = ConfigDict(extra="forbid", strict=False)

    @model_validator(mode="after")
    def min_not_above_max(self) -> "Effort":
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


def _also_a_plain_list(json_schema: dict) -> None:
    """The JSON Schema accepts what the validator accepts: labelled groups or a plain draft list."""
    labelled = dict(json_schema)
    json_schema.clear()
    json_schema["anyOf"] = [
        labelled,
        {
            "type": "array",
            "items": {"type": "string", "pattern": SLUG_PATTERN},
            "description": "An unlabelled draft: `content_report --strict` asks for labels.",
        },
    ]


class StageResources(Strict):
    """A stage's courses (or reading), each slug under the label of its use in this stage.

    A plain list (`courses: [a, b]`) is accepted as an unlabelled draft so a stage validates
    while its editor decides; `content_report --strict` fails until every entry has a label.
    """

    model_config = ConfigDict(json_schema_extra=_also_a_plain_list)

    start_here: list[Slug] = _field(
        "Where a learner starts: do these first.", ["mdn-learn"], default=[]
    )
    pick_one: list[Slug] = _field(  # alternatives: a learner needs one of them
        "Alternatives: a learner picks one of them.",
        ["aws-skill-builder", "gcp-skills"],
        default=[],
    )
    go_deeper: list[Slug] = _field("For later, once the basics hold.", ["sre-book"], default=[])
    more_because: Text | None = _field(
        "Why this stage lists more than 3 courses or 5 reading entries.",
        "The three clouds are one choice.",
        default=None,
    )
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
    """One rung of the level ladder; the list's order is the ladder's order."""

    slug: Slug = _field("The level's slug; a stage file is named `<slug>.yaml`.", "junior")
    name: Line = _field("The level's name as shown.", "Junior")
    meaning: Text = _field("What being at this level means.", "You ship with guidance.")


class LevelsFile(Strict):
    """levels.yaml: the level ladder, lowest first."""

    levels: Annotated[list[LevelEntry], Field(min_length=1)] = _field(
        "Every level, lowest first.", [{"slug": "junior", "name": "Junior", "meaning": "…"}]
    )


class SourceEntry(Identified):
    """A survey or study that a stage's duration is based on, or that informs our estimate."""

    slug: Slug = _field("How a stage's `source:` names it.", "stack-overflow-survey")
    name: Line = _field("The source's name as shown.", "Stack Overflow Developer Survey")
    url: Url = _field("Its address (http:// or https://).", "https://survey.stackoverflow.co/")
    measures: Line = _field(
        "What the page actually measures, completing \"which measures …\".",
        "how many years developers have coded professionally",
    )
    gives_time_per_level: bool = _field(
        "`true` only if the page itself publishes how long a level takes; then it is shown as "
        "the figure's source. Otherwise the figure reads \"Our estimate, informed by …\".",
        False,
        default=False,
    )


class SourcesFile(Strict):
    """sources.yaml: the sources cited for durations."""

    sources: list[SourceEntry] = _field("Every cited source.", [])


class CourseEntry(Identified):
    """One course of the catalogue; stages list it by slug under `courses:`."""

    slug: Slug = _field("How a stage's `courses:` list names it.", "mdn-learn")
    title: Line = _field("The course's title.", "Learn web development")
    provider: Line = _field("Who offers it.", "MDN")
    summary: Text = _field("One or two sentences on what it covers.", "HTML, CSS and JS basics.")
    url: Url = _field("Its address (http:// or https://).", "https://developer.mozilla.org/")
    cost: Cost = _field("`free` or `paid`.", "free")
    kind: ResourceKind = _field(KIND_DESCRIPTION, "course")
    effort: Effort = _field(EFFORT_DESCRIPTION, {"min": 10, "max": 20})


class CoursesFile(Strict):
    """courses.yaml: the course catalogue."""

    courses: list[CourseEntry] = _field("Every course.", [])


class ReadingEntry(Identified):
    """One book, essay or document; stages list it by slug under `reading:`."""

    slug: Slug = _field("How a stage's `reading:` list names it.", "designing-data-apps")
    title: Line = _field("The title.", "Designing Data-Intensive Applications")
    author: Line = _field("Who wrote it.", "Martin Kleppmann")
    summary: Text = _field("One or two sentences on why to read it.", "How databases work.")
    url: Url = _field("Its address (http:// or https://).", "https://dataintensive.net/")
    cost: Cost = _field("`free` or `paid`; leave it out when free.", "paid", default="free")
    kind: ResourceKind = _field(KIND_DESCRIPTION, "book")
    effort: Effort = _field(EFFORT_DESCRIPTION, {"min": 15, "max": 30})


class ReadingFile(Strict):
    """reading.yaml: external reading."""

    reading: list[ReadingEntry] = _field("Every reading entry.", [])


class MistakeEntry(Identified):
    """A mistake everyone makes, whatever the track (shown on the home page)."""

    slug: Slug = _field("The mistake's slug (its anchor on the home page).", "tutorial-loop")
    title: Line = _field("The mistake in a few words.", "Watching tutorials forever")
    body: Text = _field("Why it hurts and what to do instead (Markdown).", "Build something.")


class MistakesFile(Strict):
    """mistakes.yaml: the mistakes everyone makes."""

    mistakes: list[MistakeEntry] = _field("Every mistake, in the order shown.", [])


# --- search_synonyms.yaml: the words learners type for what the content says ----------------

WORD_PATTERN = r"^[^\sA-Z](?:[^A-Z]*[^\sA-Z])?$"


def _lowercase(value: str) -> str:
    if not re.match(WORD_PATTERN, value):
        raise ValueError("write it in lowercase, like `k8s` or `machine learning`")
    return value


Word = Annotated[  # a word or a short phrase, lowercase (entries are matched in lowercase)
    str,
    Field(min_length=1, max_length=60, json_schema_extra={"pattern": WORD_PATTERN}),
    AfterValidator(_lowercase),
]


class SynonymEntry(Identified):
    """A term the content uses and the words learners type for it."""

    slug: Slug = _field("The entry's slug, unique in the file.", "kubernetes")
    term: Line = _field(
        "The word or phrase as the content writes it (any case).", "Kubernetes"
    )
    also: Annotated[list[Word], Field(min_length=1, max_length=20)] = _field(
        "What learners type for it: abbreviations, short forms, other spellings, in lowercase. "
        "A search for any of them also finds the term (not the other way round).",
        ["k8s", "kube"],
    )

    @model_validator(mode="after")
    def not_the_term_itself(self) -> "SynonymEntry":
        if self.term.lower() in self.also:
            raise ValueError(f"`also` repeats the term `{self.term.lower()}`; list other words")
        return self


class SearchSynonymsFile(Strict):
    """search_synonyms.yaml: the words learners type for what the content says."""

    synonyms: list[SynonymEntry] = _field("Every synonym entry.", [])


# --- questionnaire.yaml: the /start/ questions that recommend a track and level -------------


class AnswerOption(Identified):
    """One answer to a question: the points it gives tracks and why, or the level it implies."""

    slug: Slug = _field("The answer's slug, unique within its question.", "patterns")
    label: Line = _field("The answer as the learner reads it.", "Finding patterns in data")
    level: Slug | None = _field(
        "The starting level this answer implies, if any.", "junior", default=None
    )
    reason: Text | None = _field(
        "Why the level in `level` fits this answer (needed with `level`, unused without).",
        "You have shipped code in a team.",
        default=None,
    )
    scores: dict[Slug, Annotated[int, Field(ge=0, le=10)]] = _field(
        "Points (0–10) per track slug; the track with most points is recommended.",
        {"data": 3, "backend": 1},
        default={},
    )
    reasons: dict[Slug, Text] = _field(
        "Why this answer points to a track, one per track given points in `scores`; shown only "
        "when that track is the recommendation or the runner-up.",
        {"data": "You enjoy patterns.", "backend": "Queries are backend work too."},
        default={},
    )
    serves: list[Slug] = _field(
        "For an answer only some tracks fulfill (a goal): the recommendation is always one of "
        "these tracks, whatever the other answers; each needs points and a reason.",
        ["data"],
        default=[],
    )

    @model_validator(mode="after")
    def every_point_has_its_reason(self) -> "AnswerOption":
        scored = {slug for slug, points in self.scores.items() if points > 0}
        if self.level and not self.reason:
            raise ValueError("an answer with a `level` needs a `reason` saying why that level")
        if missing := sorted(scored - set(self.reasons)):
            raise ValueError(f"`reasons` has no reason for {_names(missing)}, which `scores` gives "
                             "points to")
        if extra := sorted(set(self.reasons) - scored):
            raise ValueError(f"`reasons` names {_names(extra)}, which `scores` gives no points")
        if unscored := sorted(set(self.serves) - scored):
            raise ValueError(f"`serves` names {_names(unscored)}; give it points and a reason")
        return self


def _names(slugs: list[str]) -> str:
    return ", ".join(f"`{slug}`" for slug in slugs)


class Question(Identified):
    """One question of /start/."""

    slug: Slug = _field("The question's slug.", "enjoy")
    text: Line = _field("The question.", "What do you enjoy most?")
    help: Text | None = _field(
        "A hint shown under the question.", "Pick the closest.", default=None
    )
    options: Annotated[list[AnswerOption], Field(min_length=2)] = _field(
        "The answers (two or more).",
        [{"slug": "patterns", "label": "Patterns", "scores": {"data": 3}, "reasons": {"data": "…"}}],
    )


class QuestionnaireFile(Strict):
    """questionnaire.yaml: the /start/ questions that recommend a track and a level."""

    questions: Annotated[list[Question], Field(min_length=1, max_length=12)] = _field(
        "The questions (1 to 12), in the order asked.", []
    )


# --- tracks/<track>/track.yaml and tracks/<track>/<level>.yaml -------------------------------


class ExtraPart(Identified):
    """A named part of the road to a title that is not a stage's study: a job, a job search."""

    name: Line = _field("What the time is spent on, as shown.", "Job search for a first role")
    after: Slug | None = _field(
        "The level whose stage it follows; leave it out to put it before the first stage.",
        "junior",
        default=None,
    )
    duration: DurationField


class Timeline(Strict):
    """How the track's total is computed: its stages from `from` up to `to`, plus `extras`."""

    model_config = ConfigDict(populate_by_name=True)

    start: Slug | None = Field(
        default=None,
        alias="from",
        description="The first level the total counts (leave it out: the entry level).",
        examples=["junior"],
    )
    to: Slug | None = _field(
        "The title the total reaches; its own stage is not counted (leave it out: every stage).",
        "senior",
        default=None,
    )
    extras: list[ExtraPart] = _field(
        "Time on the road that is not study: a job search, a job at the level before.",
        [{"name": "Job search", "after": "junior", "duration": {"min": 3, "unit": "months"}}],
        default=[],
    )


class TrackFile(Identified):
    """tracks/<track>/track.yaml: one career track."""

    name: Line = _field("The track's name as shown.", "Backend Development")
    order: Annotated[int, Field(ge=0, le=2_147_483_647)] = _field(
        "Position in the list of tracks (smallest first; give each track its own).", 2
    )
    pitch: Text = _field("What the work is, in a few sentences.", "You build the APIs.")
    timeline: Timeline = _field(
        "How the total is computed: the stages `from` a level `to` a title, plus extras.",
        {"to": "senior", "extras": [{"name": "Job search", "duration": {"min": 3, "unit": "weeks"}}]},
    )
    stated: Duration = _field(
        "The total as commonly stated; shown beside the computed one, and it must agree with it "
        "within the timeline model's tolerance.",
        {"min": 3, "max": 5, "unit": "years"},
    )
    entry_level: Slug = _field("The level of the track's first stage file.", "beginner")
    entry_note: Text | None = _field(
        "Why the track starts above the first level (needed when it does).",
        "Most people arrive after a year of backend work.",
        default=None,
    )
    builds_on: Slug | None = _field(
        "The track to start with when a learner is below this track's entry level.",
        "backend",
        default=None,
    )


class TextItem(Identified):
    """One item of a stage's list."""

    text: Text = _field("The item, one sentence or two.", "You write SQL joins without help.")


class ProjectItem(Identified):
    """A project that proves the stage's skills."""

    title: Line = _field("What to build.", "A URL shortener with an API")
    teaches: Text = _field("What building it teaches.", "Routing, persistence and tests.")


def _non_empty(kind: type, description: str, example: object) -> object:
    return Annotated[list[kind], Field(min_length=1, description=description, examples=[[example]])]


class StageFile(Identified):
    """tracks/<track>/<level>.yaml: one stage (a level of a track)."""

    duration: DurationField
    source: Slug | None = _field(
        "The slug of the source in sources.yaml.", "stack-overflow-survey", default=None
    )
    summary: Text = _field("What this stage is about.", "Your first paid year.")
    skills: _non_empty(TextItem, "What you learn at this stage.", {"text": "Git basics."})
    ready_when: _non_empty(
        TextItem, "How you know you are ready for the next level.", {"text": "You ship alone."}
    )
    projects: _non_empty(
        ProjectItem, "Projects that prove the skills.", {"title": "A blog", "teaches": "CRUD."}
    )
    courses: StageResources = _field(
        "Slugs of courses in courses.yaml, grouped by label: start_here, pick_one, go_deeper.",
        {"start_here": ["mdn-learn"], "go_deeper": ["javascript-info"]},
        default_factory=StageResources,
    )
    reading: StageResources = _field(
        "Slugs of reading.yaml entries or articles/ files, grouped by label like `courses`.",
        {"start_here": ["sample-article"]},
        default_factory=StageResources,
    )
    mistakes: _non_empty(TextItem, "Mistakes typical of this stage.", {"text": "Skipping tests."})
    expectations: _non_empty(
        TextItem, "What employers expect at this level.", {"text": "You review code."}
    )


# --- articles/*.md and guides/*.md front matter ----------------------------------------------


class ArticleFrontMatter(Identified):
    """The front matter of articles/<slug>.md (the file name is the slug)."""

    title: Line = _field("The article's title (its only `#` heading).", "How HTTP works")
    summary: Text = _field("One sentence shown in lists and search.", "Requests and responses.")


class GuideFrontMatter(Identified):
    """The front matter of guides/<slug>.md (the file name is the slug)."""

    title: Line = _field("The guide's title (its only `#` heading).", "What the levels mean")
    summary: Text = _field("One sentence shown in lists and search.", "Junior to Principal.")
    order: Annotated[int, Field(ge=0, le=2_147_483_647)] = _field(
        "Position in the list of guides (smallest first).", 1
    )
