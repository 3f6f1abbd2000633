"""JSON Schema for each content file kind, generated from the validation models.

Editors' IDEs (through the yaml-language-server line at the top of each file) complete and check
fields with these and show each field's description and example on hover; a test fails when the
committed files drift from the models, and another runs a JSON Schema validator over the fixture
trees to check that the schemas refuse what `validate_content` refuses in a single file.

`id` is never required here: editors do not type ids, `content_fix` writes them.
"""

import json
from pathlib import Path

from .kinds import KINDS


def schema_texts() -> dict[str, str]:
    """{file name: JSON text} for every kind, stable so the committed copies can be compared."""
    texts = {}
    for kind in KINDS.values():
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **kind.schema.model_json_schema(mode="validation"),
        }
        _id_not_required(document)
        texts[f"{kind.name}.json"] = json.dumps(document, indent=2, sort_keys=True) + "\n"
    return texts


def _id_not_required(value: object) -> None:
    if isinstance(value, dict):
        if "id" in value.get("required", []):
            value["required"] = [name for name in value["required"] if name != "id"]
            if not value["required"]:
                del value["required"]
        for child in value.values():
            _id_not_required(child)
    elif isinstance(value, list):
        for child in value:
            _id_not_required(child)


def write_schemas(directory: Path) -> list[str]:
    """Write the schema files; returns the names that changed."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in schema_texts().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed
