"""The two files a learner takes away: a JSON progress file (import restores it on another
device) and a Markdown brag-document starter. Pure functions over what the selectors read.

The JSON file carries a `format` marker and a `version`, so a foreign or future file is refused
with a message that says so rather than with a validation error about its fields.
"""

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from roadmap.catalog.models import ItemKind, Stage, StageItem
from roadmap.content.schema import ID_PATTERN

from .models import NOTE_MAX_LENGTH
from .selectors import LevelOverview, ProgressExport, ProgressOverview

FORMAT = "roadmap-progress"
VERSION = 1
MAX_FILE_BYTES = 256 * 1024
MAX_ERRORS_SHOWN = 3
NOTHING_CHANGED = "Nothing was changed."


class ProgressFileInvalid(Exception):
    """The file cannot be imported; `str(exc)` is the message for the learner."""


# --- JSON -----------------------------------------------------------------------------------

ContentId = Annotated[str, Field(pattern=ID_PATTERN)]

# Dates a progress file can honestly hold: the site did not exist before 2000, and a date more
# than a day ahead (clocks differ) was not made by an export. Real offsets are within ±14:00.
EARLIEST_YEAR = 2000
MAX_OFFSET = timedelta(hours=14)
# Characters a note cannot hold: C0 controls other than tab and line breaks (NUL among them), DEL,
# and lone surrogates, which no database stores as text.
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _sane_time(value: datetime) -> datetime:
    now = datetime.now(UTC)
    if not EARLIEST_YEAR <= value.year <= now.year + 1:
        raise PydanticCustomError(
            "year_range",
            "the year {year} is outside {earliest}–{latest}",
            {"year": value.year, "earliest": EARLIEST_YEAR, "latest": now.year},
        )
    offset = value.utcoffset()
    if abs(offset) > MAX_OFFSET:
        raise PydanticCustomError(
            "offset_range",
            "the time-zone offset {offset} is not a real one (they are within ±14:00)",
            {"offset": value.strftime("%z")},
        )
    value = value.astimezone(UTC)
    if value > now + timedelta(days=1):
        raise PydanticCustomError("future", "the date is in the future", {})
    return value


def _plain_text(value: str) -> str:
    found = NOT_TEXT.search(value)
    if found:
        raise PydanticCustomError(
            "control_character",
            "the text holds a control character ({code}) a note cannot keep",
            {"code": f"U+{ord(found.group()):04X}"},
        )
    return value


SaneTime = Annotated[AwareDatetime, AfterValidator(_sane_time)]


class _Entry(BaseModel):
    # `track`, `level` and `text` on a tick are for people reading the file; import needs the id.
    model_config = ConfigDict(extra="ignore")


class TickEntry(_Entry):
    id: ContentId
    ticked_at: SaneTime | None = None


class NoteEntry(_Entry):
    stage: ContentId
    text: Annotated[str, Field(max_length=NOTE_MAX_LENGTH), AfterValidator(_plain_text)]
    updated_at: SaneTime | None = None


class ProgressFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    format: Literal["roadmap-progress"]
    version: Literal[1]
    ticks: Annotated[list[TickEntry], Field(max_length=20_000)] = []
    notes: Annotated[list[NoteEntry], Field(max_length=2_000)] = []


def progress_file_build(*, export: ProgressExport, now: datetime) -> dict:
    def where(stage: Stage | None) -> dict:
        return {"track": stage.track.name, "level": stage.level.name} if stage else {}

    def about(item: StageItem | None) -> dict:
        return {**where(item.stage), "text": item.text} if item else {}

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "ticks": [
            {"id": t.item_id, "ticked_at": t.ticked_at.isoformat(), **about(t.item)}
            for t in export.ticks
        ],
        "notes": [
            {
                "stage": n.stage_id,
                "updated_at": n.updated_at.isoformat(),
                **where(n.stage),
                "text": n.text,
            }
            for n in export.notes
        ],
    }


def progress_file_parse(data: bytes) -> ProgressFile:
    """Read an uploaded progress file, or raise ProgressFileInvalid saying what is wrong."""
    if len(data) > MAX_FILE_BYTES:
        raise ProgressFileInvalid(
            f"That file is too big ({len(data) // 1024:,} KB); a progress file is at most "
            f"{MAX_FILE_BYTES // 1024} KB. {NOTHING_CHANGED}"
        )
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ProgressFileInvalid(
            "That file is not a Roadmap progress file: it is not JSON. Choose the .json file "
            f"that “Download as JSON” saved. {NOTHING_CHANGED}"
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ProgressFileInvalid(
            "That file is not a Roadmap progress file: it lacks the "
            f'"format": "{FORMAT}" marker. {NOTHING_CHANGED}'
        )
    if raw.get("version") != VERSION:
        raise ProgressFileInvalid(
            f"That progress file has version {json.dumps(raw.get('version'))[:20]}, and this site "
            f"reads version {VERSION}. {NOTHING_CHANGED}"
        )
    try:
        return ProgressFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_problem(error) for error in exc.errors()[:MAX_ERRORS_SHOWN])
        raise ProgressFileInvalid(
            f"That progress file is damaged ({problems}). {NOTHING_CHANGED}"
        ) from None


def _problem(error: dict) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
    return f"{where.lstrip('.')}: {error['msg']}"


# --- Markdown: a brag-document starter ----------------------------------------------------------

# The guide whose template the brag document follows (/progress/ links to it when it exists),
# and the sections of that template the site knows nothing about: they keep the template's
# prompts for the learner to fill in. Change them here, together with the guide.
BRAG_GUIDE_SLUG = "brag-document"
# The template's sections the site fills in: what the learner built, learned, and wants next.
PROJECTS, LEARNING, NEXT = "Projects", "Learning and Growth", "What I Want to Do Next"
PROMPTS = {
    "Design and Architecture": [
        "[Title of RFC or design doc]: [was it adopted, and by how many teams?]",
        "Decisions I led: [list them]",
    ],
    "Mentoring and Team Building": [
        "Mentored [person] in [topic]: [what changed for them]",
        "Onboarding: [what I improved and what happened as a result]",
    ],
    "Operational Excellence": [
        "On-call: [what I changed; effect on incident count or MTTR]",
        "Reliability: [uptime gained, toil removed]",
    ],
}


def brag_document_build(*, overview: ProgressOverview, now: datetime) -> str:
    levels = [level for track in overview.tracks for level in track.levels]
    lines = [
        "# Brag document: [your name], [quarter and year]",
        "",
        f"Started on {now:%-d %B %Y} from the criteria and projects I ticked on Roadmap. Replace "
        "each [placeholder], put a number on every result, and add to it every Friday.",
        "",
        f"## {PROJECTS}",
        "",
    ]
    projects = [(level, _of_kind(level.ticked, ItemKind.PROJECT)) for level in levels]
    projects = [(level, items) for level, items in projects if items]
    for level, items in projects:
        lines += [f"### {_title(level)}", ""]
        for item in items:
            lines += [
                f"- {item.text}{_ticked(item, overview)}",
                "  - What I did: [your personal part, not the team's]",
                "  - Result: [the outcome, with a number]",
                f"  - Skills shown: {item.teaches or '[technical, leadership, communication…]'}",
            ]
        lines.append("")
    if not projects:
        lines += [
            "- [Project]: [what it is, in one sentence]",
            "  - What I did: [your personal part, not the team's]",
            "  - Result: [the outcome, with a number]",
            "  - Skills shown: [technical, leadership, communication…]",
            "",
        ]
    for section, prompts in PROMPTS.items():
        lines += [f"## {section}", "", *(f"- {prompt}" for prompt in prompts), ""]
    lines += [f"## {LEARNING}", ""]
    for level in levels:
        criteria = _of_kind(level.ticked, ItemKind.READY_WHEN)
        if not (criteria or level.note):
            continue
        lines += [f"### {_title(level)}", ""]
        if criteria:
            progress = level.progress
            lines.append(
                f"Ready for the next level: {progress.ready_done} of {progress.ready_total}."
            )
            lines += ["", *(f"- {item.text}{_ticked(item, overview)}" for item in criteria)]
            lines.append("")
        if level.note:
            lines += ["My notes:", "", *_quoted(level.note), ""]
    lines += [
        "- Learned [technology or skill]; used it in [project]",
        "- Talks and writing: [title of a talk, post or internal session]",
        "",
        f"## {NEXT}",
        "",
        "- Next quarter I would like to: [goals]",
    ]
    for level in levels:
        still = _of_kind(level.open, ItemKind.READY_WHEN)
        if still:
            lines.append(f"- Still to do for {_title(level)}:")
            lines += [f"  - {item.text}" for item in still]
    return "\n".join(lines) + "\n"


def _title(level: LevelOverview) -> str:
    return f"{level.stage.track.name} · {level.stage.level.name}"


def _of_kind(items: list[StageItem], kind: str) -> list[StageItem]:
    return [item for item in items if item.kind == kind]


def _ticked(item: StageItem, overview: ProgressOverview) -> str:
    ticked_at = overview.ticked_at.get(item.content_id)
    return f" (ticked {ticked_at:%Y-%m-%d})" if ticked_at else ""


def _quoted(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in text.splitlines()]
