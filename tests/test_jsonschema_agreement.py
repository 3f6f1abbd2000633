"""The JSON Schemas an editor's IDE checks files with agree with `validate_content`.

A real JSON Schema validator (`jsonschema`, draft 2020-12) runs the generated schemas over every
file of the fixture trees, and over the files named in every bad case. Each bad case says in its
expected.txt whether its problem is a single-file rule a schema can express (`# schema:
refuses`: the schema must refuse the file too) or not (`# schema: accepts (why)`: a rule across
files, YAML syntax, a Markdown body; the schema must then accept the file, or the IDE would
flag what the validator allows).
"""

import json
import re
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from test_content_bad_input import BAD_CASES, SANITISE_CASES, build_tree, expected

from roadmap.content.front_matter import split_front_matter
from roadmap.content.jsonschema import schema_texts
from roadmap.content.kinds import KINDS, locate
from roadmap.content.tree import read_tree
from roadmap.content.yaml_reader import YamlError, decode, normalise, parse

FIXTURES = Path(__file__).parent / "content"
VALID = FIXTURES / "valid"
VALIDATORS = {
    name.removesuffix(".json"): Draft202012Validator(json.loads(text))
    for name, text in schema_texts().items()
}
MARKER = re.compile(r"^# schema: (refuses|accepts \(.+\))$")


def content_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and locate(p) is not None)


def values_of(path: Path) -> object:
    """The file's values as the IDE's YAML server sees them (front matter for Markdown)."""
    text = normalise(decode(path.read_bytes()))
    kind = locate(path)[1]
    if kind.markdown:
        return parse(split_front_matter(text).yaml).data
    return parse(text).data


def schema_errors(path: Path) -> list[str]:
    validator = VALIDATORS[locate(path)[1].name]
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(
        values_of(path)
    )]  # fmt: skip


def marker(case: Path) -> str:
    found = [m.group(1) for line in (case / "expected.txt").read_text().splitlines()
             if (m := MARKER.match(line))]  # fmt: skip
    assert len(found) == 1, f"{case.name}/expected.txt needs one `# schema: …` line"
    return found[0]


def test_the_schemas_are_valid_draft_2020_12_schemas():
    for name, text in schema_texts().items():
        Draft202012Validator.check_schema(json.loads(text))  # raises on a broken schema
        assert name.removesuffix(".json") in KINDS


@pytest.mark.parametrize(
    "path", content_files(VALID), ids=lambda path: str(path.relative_to(VALID))
)
def test_the_schema_accepts_every_file_of_the_valid_tree(path):
    assert schema_errors(path) == []


@pytest.mark.parametrize("case", SANITISE_CASES, ids=lambda case: case.name)
def test_the_schema_accepts_every_file_of_the_sanitise_trees(case, tmp_path):
    root = build_tree(case, tmp_path)
    assert {str(p.relative_to(root)): schema_errors(p) for p in content_files(root)} == {
        str(p.relative_to(root)): [] for p in content_files(root)
    }


def test_every_bad_case_says_whether_a_schema_can_refuse_it():
    for case in BAD_CASES:
        marker(case)
    refused = [case for case in BAD_CASES if marker(case) == "refuses"]
    assert len(refused) >= 15  # the single-file rules: types, required fields, URLs, ranges…


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda case: case.name)
def test_the_schema_agrees_with_the_validator_on_each_bad_case(case, tmp_path):
    root = build_tree(case, tmp_path)
    named = {line.split(":", 1)[0].removeprefix("content/") for line in expected(case)}
    checked = {}
    for relative in sorted(named):
        path = root / relative
        if not path.is_file() or locate(path) is None:
            continue  # a missing file or a folder: nothing for a schema to read
        try:
            checked[relative] = bool(schema_errors(path))
        except (YamlError, ValueError):
            continue  # YAML the reader refuses: the IDE reports it as a syntax error
    if marker(case) == "refuses":
        assert checked and all(checked.values()), f"the schema accepts {checked}"
    else:
        assert not any(checked.values()), f"the schema refuses {checked}"


def test_the_schema_does_not_ask_for_ids_that_content_fix_writes(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(VALID, root)
    path = root / "tracks/web/mid-level.yaml"
    path.write_text(re.sub(r"(?m)^( *)(- )?id: \w+\n(\1  )?", r"\1\2", path.read_text()))
    assert "id:" not in path.read_text()
    assert schema_errors(path) == []
    assert any("id: field required" in str(error) for error in read_tree(root).errors)


def test_every_field_has_a_description_and_an_example_for_the_ide():
    missing = []
    for name, text in schema_texts().items():
        document = json.loads(text)
        for model_name, model in [(name, document), *document.get("$defs", {}).items()]:
            for field, spec in model.get("properties", {}).items():
                if not spec.get("description") or not spec.get("examples"):
                    missing.append(f"{model_name}.{field}")
    assert missing == []
