"""JSON Schema for each content file kind, generated from the validation models.

Editors' IDEs (through the yaml-language-server line at the top of each file) complete and check
fields with these; a test fails when the committed files drift from the models.
"""

import json
from pathlib import Path

from .schema import FILE_KINDS


def schema_texts() -> dict[str, str]:
    """{file name: JSON text} for every kind, stable so the committed copies can be compared."""
    texts = {}
    for kind, model in FILE_KINDS.items():
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **model.model_json_schema(mode="validation"),
        }
        texts[f"{kind}.json"] = json.dumps(document, indent=2, sort_keys=True) + "\n"
    return texts


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
