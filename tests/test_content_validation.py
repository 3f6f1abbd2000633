"""What `validate_content` and `content_fix` promise editors, one promise per test.

Trees are built from tests/content/valid/ (see test_content_bad_input.py for the bad cases).
"""

import re
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from roadmap.catalog import models as m
from roadmap.content.errors import ContentError, display_path
from roadmap.content.fixer import content_fix
from roadmap.content.loader import content_load
from roadmap.content.schema import ID_PATTERN
from roadmap.content.tree import read_tree

VALID = Path(__file__).parent / "content" / "valid"
ID_VALUE = re.compile(r"\bid: [a-z][a-z0-9]{7,31}\b")


def copy_valid(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "content"
    shutil.copytree(VALID, root)
    return root


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def errors_of(root: Path) -> list[str]:
    prefix = display_path(root) + "/"
    return [str(error).replace(prefix, "content/") for error in read_tree(root).errors]


def content_files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- the fixture itself ----------------------------------------------------------------------


def test_the_valid_fixture_has_no_errors():
    assert errors_of(VALID) == []


def test_validate_content_says_ok_with_the_counts_for_a_valid_tree():
    stdout = StringIO()
    call_command("validate_content", str(VALID), stdout=stdout)
    assert stdout.getvalue() == "content OK: 14 files, 2 tracks, 3 stages, 0 errors\n"


def test_the_real_content_validates_with_zero_errors():
    assert [str(error) for error in read_tree(Path(settings.CONTENT_DIR)).errors] == []


@pytest.mark.django_db
def test_the_valid_fixture_loads_and_exercises_every_optional_field():
    content_load(root=VALID, actor="tests")
    web, data = m.Track.objects.get(slug="web"), m.Track.objects.get(slug="data")
    assert (web.duration_min, web.duration_max, web.duration_unit) == (Decimal("1.5"), 4, "years")
    assert data.duration_max is None and data.builds_on == "web"
    assert web.entry_level.slug == "junior" and web.entry_note
    junior = m.Stage.objects.get(track=web, level__slug="junior")
    mid = m.Stage.objects.get(track=web, level__slug="mid-level")
    assert junior.source.slug == "stack-overflow-survey" and mid.source is None
    assert mid.duration_max is None
    assert [link.course.slug for link in junior.course_links.all()] == [
        "mdn-learn",
        "django-tutorial",
    ]
    reading = [
        (r.reading and r.reading.slug, r.article and r.article.slug)
        for r in junior.reading_links.all()
    ]
    assert reading == [("mdn-http", None), (None, "sample-article")]
    kinds = set(junior.items.values_list("kind", flat=True))
    assert kinds == {"skill", "ready_when", "project", "mistake", "expectation"}
    assert junior.items.get(kind="project", order=0).teaches == "Deploying and responsive layout."
    assert m.Reading.objects.get(slug="mdn-http").cost == "free"  # left out: the default
    assert m.Course.objects.get(slug="paid-course").cost == "paid"
    points = list(m.StartingPoint.objects.order_by("order"))
    assert (points[0].track, points[0].level.slug) == (web, "junior")
    assert (points[1].track, points[1].level) == (None, None)
    assert m.Guide.objects.get(slug="levels").order == 1
    assert "<table>" in m.Article.objects.get(slug="sample-article").body_html
    question = m.Question.objects.get(slug="experience")
    assert question.help and m.Question.objects.get(slug="enjoy").help == ""
    assert m.AnswerOption.objects.get(slug="patterns").scores == {"data": 3, "web": 1}
    assert m.AnswerOption.objects.get(slug="lots").level.slug == "mid-level"
    assert m.SiteText.objects.get().start_intro


# --- how errors are reported -----------------------------------------------------------------


def test_an_error_prints_as_path_line_field_message():
    error = ContentError("content/courses.yaml", 17, "courses[2].url", "field required")
    assert str(error) == "content/courses.yaml:17: courses[2].url: field required"


def test_an_error_without_a_field_prints_as_path_line_message():
    assert (
        str(ContentError("content/x.yaml", 1, "", "file is missing"))
        == "content/x.yaml:1: file is missing"
    )


def test_every_error_is_printed_in_one_run(tmp_path):
    root = copy_valid(tmp_path)
    edit(root, "courses.yaml", "    cost: paid", "    cost: expensive")
    edit(root, "tracks/web/mid-level.yaml", "unit: years", "unit: decades")
    edit(root, "guides/levels.md", "order: 1", "order: first")
    expected = [
        "content/courses.yaml:27: courses[2].cost: input should be 'free' or 'paid'",
        "content/guides/levels.md:6: order: input should be a valid integer",
        "content/tracks/web/mid-level.yaml:3: duration.unit: input should be 'weeks', 'months' "
        "or 'years'",
    ]
    assert errors_of(root) == expected
    stdout = StringIO()
    with pytest.raises(CommandError, match=r"^3 error\(s\); nothing was loaded\.$"):
        call_command("validate_content", str(root), stdout=stdout)
    assert stdout.getvalue().replace(display_path(root) + "/", "content/").splitlines() == expected


def test_several_errors_in_one_file_are_all_reported(tmp_path):
    root = copy_valid(tmp_path)
    edit(root, "courses.yaml", "    provider: Django\n", "")
    edit(root, "courses.yaml", "url: https://www.coursera.org/learn/python", "url: ftp://x.org/")
    edit(root, "courses.yaml", "slug: mdn-learn", "slug: MDN_Learn")
    assert errors_of(root) == [
        "content/courses.yaml:4: courses[0].slug: use lowercase letters, digits and single "
        "hyphens, like `intro-to-sql`",
        "content/courses.yaml:12: courses[1].provider: field required",
        "content/courses.yaml:25: courses[2].url: must be an http:// or https:// address",
    ]


def test_errors_are_sorted_by_file_then_line(tmp_path):
    root = copy_valid(tmp_path)
    edit(root, "tracks/web/mid-level.yaml", "unit: years", "unit: days")
    edit(root, "courses.yaml", "    cost: paid", "    cost: dear")
    edit(root, "courses.yaml", "cost: free\n    kind: course", "cost: gratis\n    kind: course")
    lines = errors_of(root)
    assert [line.split(":")[:2] for line in lines] == [
        ["content/courses.yaml", "9"],
        ["content/courses.yaml", "27"],
        ["content/tracks/web/mid-level.yaml", "3"],
    ]


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        (
            "tracks/web/mid-level.yaml",
            "teaches: Retries, idempotency and monitoring.",
            "teaches: 42",
            "content/tracks/web/mid-level.yaml:21: projects[1].teaches: input should be a valid "
            "string",
        ),
        (
            "tracks/web/mid-level.yaml",
            "    text: You mentor a junior colleague.",
            '    text: ""',
            "content/tracks/web/mid-level.yaml:35: expectations[1].text: string should have at "
            "least 1 character",
        ),
        (
            "tracks/web/mid-level.yaml",
            "duration: {min: 1, unit: years}",
            "duration:\n  min: 1\n  unit: year",
            "content/tracks/web/mid-level.yaml:5: duration.unit: input should be 'weeks', "
            "'months' or 'years'",
        ),
        (
            "tracks/web/junior.yaml",
            "reading: {start_here: [mdn-http], go_deeper: [sample-article]}",
            "reading: {start_here: [mdn-http], go_deeper: [sample-article, no-such-book]}",
            "content/tracks/web/junior.yaml:24: reading.go_deeper[1]: unknown reading "
            "`no-such-book` "
            "(not in reading.yaml or articles/)",
        ),
        (
            "questionnaire.yaml",
            "scores: {data: 3, web: 1}",
            "scores: {data: 3, web: -1}",
            "content/questionnaire.yaml:32: questions[1].options[1].scores.web: input should be "
            "greater than or equal to 0",
        ),
        (
            "site.yaml",
            "    who: People still choosing.\n",
            "",
            "content/site.yaml:16: starting_points[1].who: field required",
        ),
        (
            "guides/levels.md",
            "summary: What each level means.",
            "summary: [not, text]",
            "content/guides/levels.md:5: summary: input should be a valid string",
        ),
    ],
    ids=[
        "a field of the second project",
        "the last item of the last section",
        "a key of a block-style mapping",
        "an item of a one-line list",
        "a key of a one-line mapping three lists deep",
        "a missing field points at its item",
        "front matter counts the Markdown file's lines",
    ],
)
def test_the_line_number_points_at_the_offending_line(tmp_path, relative, old, new, expected):
    root = copy_valid(tmp_path)
    edit(root, relative, old, new)
    assert errors_of(root) == [expected]


def test_duplicate_ids_report_both_places(tmp_path):
    root = copy_valid(tmp_path)
    # Two skills in web take the id of the data track's first skill (tracks/data is read first).
    data_stage = (root / "tracks/data/mid-level.yaml").read_text(encoding="utf-8")
    taken = re.search(r"skills:\n  - id: (\w+)", data_stage).group(1)
    edit(root, "tracks/web/junior.yaml", "id: pq2b6wex5t", f"id: {taken}")
    edit(root, "tracks/web/mid-level.yaml", "id: n1yg7n9s8p", f"id: {taken}")
    first = "content/tracks/data/mid-level.yaml:6"
    hint = "delete this id and run `python manage.py content_fix`"
    assert errors_of(root) == [
        f"content/tracks/web/junior.yaml:7: skills[0].id: duplicate id `{taken}` "
        f"(also at {first}); {hint}",
        f"content/tracks/web/mid-level.yaml:8: skills[1].id: duplicate id `{taken}` "
        f"(also at {first}); {hint}",
    ]


def test_a_missing_content_directory_is_one_error_not_a_crash(tmp_path):
    errors = read_tree(tmp_path / "nowhere").errors
    assert [error.message for error in errors] == ["content directory not found"]


# --- content_fix -----------------------------------------------------------------------------


def strip_ids(text: str) -> str:
    """The file as an editor writes it: no `id:` lines (list items start with their next key)."""
    text = re.sub(r"^( *)- id: \w+\n\1  ", r"\1- ", text, flags=re.MULTILINE)
    return re.sub(r"^id: \w+\n", "", text, flags=re.MULTILINE)


def without_id_values(text: str) -> str:
    return ID_VALUE.sub("id: ID", text)


def test_content_fix_inserts_ids_where_they_belong_and_changes_nothing_else(tmp_path):
    root = copy_valid(tmp_path)
    originals = content_files(root)
    for relative, text in originals.items():
        (root / relative).write_text(strip_ids(text), encoding="utf-8")
    assert errors_of(root)  # without ids the tree is invalid
    content_fix(root=root)
    fixed = content_files(root)
    assert {name: without_id_values(text) for name, text in fixed.items()} == {
        name: without_id_values(text) for name, text in originals.items()
    }
    assert errors_of(root) == []


def test_content_fix_writes_unique_well_formed_ids(tmp_path):
    root = copy_valid(tmp_path)
    for path in root.rglob("*.y*ml"):
        path.write_text(strip_ids(path.read_text(encoding="utf-8")), encoding="utf-8")
    content_fix(root=root)
    ids = [
        match.group(0).removeprefix("id: ")
        for text in content_files(root).values()
        for match in ID_VALUE.finditer(text)
    ]
    assert len(ids) == len(set(ids)) > 50
    assert all(re.fullmatch(ID_PATTERN, item_id) for item_id in ids)


def test_content_fix_is_idempotent(tmp_path):
    root = copy_valid(tmp_path)
    edit(root, "courses.yaml", "  - id: smzkppbgae\n    slug", "  - slug")
    assert content_fix(root=root) == {root / "courses.yaml": 1}
    after_first = content_files(root)
    assert content_fix(root=root) == {}
    assert content_files(root) == after_first


def test_content_fix_changes_nothing_in_a_valid_tree(tmp_path):
    root = copy_valid(tmp_path)
    assert content_fix(root=root) == {}
    assert content_files(root) == content_files(VALID)


def test_content_fix_keeps_comments_next_to_the_items_they_describe(tmp_path):
    root = copy_valid(tmp_path)
    site = (root / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(strip_ids(site), encoding="utf-8")
    content_fix(root=root)
    fixed = (root / "site.yaml").read_text(encoding="utf-8")
    assert re.search(r"  # Points at a track and a level\.\n  - id: \w+\n    title: Start", fixed)
    assert re.search(
        r"  # Neither a track nor a level: plain text\.\n  - id: \w+\n    title: Not", fixed
    )


def test_content_fix_adds_ids_inside_one_line_mappings(tmp_path):
    root = copy_valid(tmp_path)
    edit(
        root,
        "tracks/web/mid-level.yaml",
        "  - id: ouqiapb19v\n    text: You estimate your own work.",
        "  - {text: You estimate your own work.}",
    )
    content_fix(root=root)
    text = (root / "tracks/web/mid-level.yaml").read_text(encoding="utf-8")
    assert re.search(r"  - \{id: \w+, text: You estimate your own work\.\}\n", text)
    assert errors_of(root) == []


def test_content_fix_adds_a_missing_schema_line_and_corrects_a_wrong_one(tmp_path):
    root = copy_valid(tmp_path)
    courses = (root / "courses.yaml").read_text(encoding="utf-8")
    (root / "courses.yaml").write_text(courses.split("\n", 1)[1], encoding="utf-8")
    edit(root, "tracks/web/junior.yaml", "$schema=../../schema/stage.json", "$schema=stage.json")
    edit(root, "guides/levels.md", "$schema=../schema/guide.json", "$schema=../schema/article.json")
    assert len(errors_of(root)) >= 3
    content_fix(root=root)
    assert errors_of(root) == []
    assert content_files(root) == content_files(VALID)
