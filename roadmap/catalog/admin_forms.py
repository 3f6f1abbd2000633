"""Admin forms that apply the content files' own rules.

Whatever an admin saves is later written into a file by `export_content`, so it must pass the
same checks as the file: the form builds the mapping the file would hold and runs the files'
pydantic schema over it (slugs, http(s) URLs, lengths, durations), showing the validator's own
message on the field. Text is cleaned by the one function a load's reading and the exporter
share (`yaml_reader.normalise_text`: `\\n` line endings, no surrounding whitespace), so a
Markdown body typed in a browser (CRLF) comes back from the file unchanged and an export followed
by a load changes nothing.
"""

from pathlib import Path

from django import forms
from pydantic import ValidationError

from roadmap.content.columns import BODY, LINK, NUMBER, OPTIONAL, PLACED, SCORES, SLUGS
from roadmap.content.errors import from_validation_error
from roadmap.content.export_map import ROW_MAPS, key_of, number, schema_for
from roadmap.content.yaml_reader import Located, normalise_text


class FileRulesForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and isinstance(self.fields.get(name), forms.CharField):
                cleaned[name] = normalise_text(value)
        row_map = ROW_MAPS.get(self._meta.model)
        if row_map is not None:
            self._check_with_schema(row_map, cleaned)
        return cleaned

    def _check_with_schema(self, row_map, cleaned: dict) -> None:
        row = self.instance
        if "kind" in cleaned:  # a project's text is checked as a title
            row.kind = cleaned["kind"]
        entry, column_of = {"id": row.content_id}, {}
        for f in row_map.fields:
            name = f.column.removesuffix("_id") if f.kind == LINK else f.column
            if f.kind in (PLACED, BODY, SLUGS) or name not in self.fields:
                continue
            value = _file_value(f.kind, cleaned.get(name))
            key = key_of(row, f)
            column_of[".".join(key)] = name
            if value is not None:
                _put(entry, key, value)
        model = schema_for(row)
        try:
            model.model_validate(entry)
        except ValidationError as exc:
            located = Located(data=entry)
            for error in from_validation_error(Path("admin"), located, model, exc):
                name = column_of.get(error.field) or _group(error.field, column_of)
                if name and name not in self.errors:
                    self.add_error(name, error.message)


def _file_value(kind: str, value):
    """A form's cleaned value as the file would hold it."""
    if value is None or value == "" or (kind == SCORES and not value):
        return None
    if kind == LINK:
        return getattr(value, "slug", value)
    if kind == NUMBER:
        return number(value)
    if kind == OPTIONAL or isinstance(value, str):
        return normalise_text(str(value))
    return value


def _put(entry: dict, key: tuple[str, ...], value) -> None:
    for part in key[:-1]:
        entry = entry.setdefault(part, {})
    entry[key[-1]] = value


def _group(field: str, column_of: dict[str, str]) -> str | None:
    """An error on a whole group (`duration: min is greater than max`) goes on its first field."""
    return next((name for key, name in column_of.items() if key.startswith(f"{field}.")), None)
