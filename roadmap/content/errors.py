"""Content errors as editors see them: `path:line: field: message`."""

import difflib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from pydantic import BaseModel, ValidationError

from .schema import DURATION_EXAMPLE
from .yaml_reader import Located, dotted

ID_HINT = "run `python manage.py content_fix` to add missing ids"


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.path}:{self.line}:{field} {self.message}"


class ContentInvalid(Exception):
    """Raised by the loader when the tree has errors; nothing has been written."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} content error(s)")
        self.errors = errors


def display_path(path: Path) -> str:
    """Paths relative to the repository (or the working directory), as an editor types them."""
    for base in (Path(settings.BASE_DIR), Path.cwd()):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def from_validation_error(
    path: Path, located: Located, model: type[BaseModel], exc: ValidationError
) -> list[ContentError]:
    """Turn pydantic's errors into one line each, pointing at the line of the offending field.

    A misspelt key gives two errors in pydantic's terms (`teachs` unknown, `teaches` missing);
    the editor gets one: the unknown key, with "did you mean `teaches`?".
    """
    raw = [
        (error, _data_path(located.data, error["loc"])) for error in exc.errors(include_url=False)
    ]
    missing = {loc for error, loc in raw if error["type"] == "missing"}
    explained = set()
    for error, loc in raw:
        if error["type"] == "extra_forbidden":
            guess = _guess(model, loc)
            if guess and (*loc[:-1], guess) in missing:
                explained.add((*loc[:-1], guess))
    return [
        ContentError(
            display_path(path), located.line_of(loc), dotted(loc), _message(error, model, loc)
        )
        for error, loc in raw
        if not (error["type"] == "missing" and loc in explained)
    ]


def _guess(model: type[BaseModel], loc: tuple) -> str | None:
    """The allowed field closest to an unknown key, if one is close enough to be a typo."""
    if not loc or not isinstance(loc[-1], str):
        return None
    close = difflib.get_close_matches(loc[-1], _allowed_fields(model, loc[:-1]), n=1, cutoff=0.6)
    return close[0] if close else None


def _data_path(data: object, loc: tuple) -> tuple:
    """Keep the parts of pydantic's location that exist in the file (drop union branch names)."""
    path = []
    for part in loc:
        if isinstance(data, dict) and isinstance(part, str):
            path.append(part)
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int):
            path.append(part)
            data = data[part] if part < len(data) else None
        elif data is None and isinstance(part, str) and path[-1:] != [part]:
            path.append(part)  # a missing field: name it, its parent gives the line
            break
    return tuple(path)


def _message(error: dict, model: type[BaseModel], loc: tuple) -> str:
    message = _plain_message(error, model, loc)
    if "duration" in loc and error["type"] != "value_error":  # min > max says it all already
        message += f"; write a duration as `duration: {DURATION_EXAMPLE}` (`max` is optional)"
    return message


def _plain_message(error: dict, model: type[BaseModel], loc: tuple) -> str:
    kind = error["type"]
    if kind == "missing":
        return "field required" + (f"; {ID_HINT}" if loc and loc[-1] == "id" else "")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        guess = _guess(model, loc)
        hint = f"; did you mean `{guess}`?" if guess else ""
        return f"unknown field{hint}" + (f" (allowed: {', '.join(allowed)})" if allowed else "")
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "id":
            return "not a valid id; delete this id and run `python manage.py content_fix`"
        return "use lowercase letters, digits and single hyphens, like `intro-to-sql`"
    if kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "is empty; write the text (spaces alone count as empty)"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "input should be a mapping of `name: value` fields"
    message = error["msg"].removeprefix("Value error, ").replace(" after validation", "")
    return message[:1].lower() + message[1:]


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names a mapping at `loc` may hold, found by walking the model's annotations."""
    current: object = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: object) -> object:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


# --- how the commands print them --------------------------------------------------------------


def github_annotation(error: ContentError, level: str = "error") -> str:
    """A GitHub Actions workflow command: the message shows on the pull request's line."""
    title = f",title={_property(error.field)}" if error.field else ""
    return (
        f"::{level} file={_property(error.path)},line={error.line}{title}::{_data(error.message)}"
    )


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def markdown_summary(errors: list[ContentError], warnings: list[ContentError]) -> str:
    """Errors and warnings as a Markdown section, for a pull request's job summary."""
    lines = ["## Content validation", ""]
    if not errors and not warnings:
        return "\n".join([*lines, "No errors, no warnings.", "", ""])
    for title, found in (("Errors", errors), ("Warnings", warnings)):
        if found:
            lines += [f"### {title} ({len(found)})", ""]
            lines += [f"- `{error.path}:{error.line}` {_inline(error)}" for error in found]
            lines.append("")
    return "\n".join([*lines, ""])  # ends with a blank line: the next section starts clean


def _inline(error: ContentError) -> str:
    field = f"**{error.field}**: " if error.field else ""
    return field + error.message.replace("|", "\\|")
