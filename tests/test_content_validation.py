"""What `validate_content` and `content_fix` promise editors, one promise per test.

Trees are built from tests/content/valid/ (see test_content_bad_input.py for the bad cases).
"""

import re
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from roadmap.catalog import models as m
from roadmap.catalog.ids import ID_PATTERN, new_id
from roadmap.content.errors import ContentError, display_path
from roadmap.content.fixer import content_fix
from roadmap.content.loader import content_load
from roadmap.content.tree import read_tree

VALID = Path(__file__).parent / "content" / "valid"
ID_VALUE = re.compile(r"\bid: [a-z][a-z0-9]{7,31}\b")
DURATION_HINT = (
    "write a duration as `duration: {min: 6, max: 12, unit: months}` (`max` is optional)"
)


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
    assert stdout.getvalue() == "content OK: 15 files, 2 tracks, 3 stages, 0 errors\n"


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
        f"or 'years'; {DURATION_HINT}",
    ]
    assert errors_of(root) == expected
    stdout = StringIO()
    with pytest.raises(CommandError, match=r"^3 error\(s\) in 3 file\(s\); fix them and run"):
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
        "content/courses.yaml:25: courses[2].url: must be an http:// or https:// address, like "
        "`https://example.com/`",
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
            "content/tracks/web/mid-level.yaml:35: expectations[1].text: is empty; write the text "
            "(spaces alone count as empty)",
        ),
        (
            "tracks/web/mid-level.yaml",
            "duration: {min: 1, unit: years}",
            "duration:\n  min: 1\n  unit: year",
            "content/tracks/web/mid-level.yaml:5: duration.unit: input should be 'weeks', "
            f"'months' or 'years'; {DURATION_HINT}",
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
    assert content_fix(root=root).changed == {root / "courses.yaml": 1}
    after_first = content_files(root)
    assert content_fix(root=root).changed == {}
    assert content_files(root) == after_first


def test_content_fix_changes_nothing_in_a_valid_tree(tmp_path):
    root = copy_valid(tmp_path)
    assert content_fix(root=root).changed == {}
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


# --- what editors' tools add is accepted; what breaks a database is refused -------------------


def _as_loaded() -> dict:
    """What the site shows from a load: every catalog row, without primary keys and timestamps."""
    from django.apps import apps

    rows = {}
    for model in apps.get_app_config("catalog").get_models():
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in {"id"}]
        fields = [f for f in fields if not f.endswith(("_at", "_id")) and f != "loaded_values"]
        rows[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    return rows


@pytest.mark.django_db
def test_crlf_line_endings_a_byte_order_mark_and_no_final_newline_load_like_the_original(tmp_path):
    content_load(root=VALID, actor="tests")
    original = _as_loaded()
    root = copy_valid(tmp_path)
    for path in [p for p in root.rglob("*") if p.suffix in {".yaml", ".md"}]:
        text = path.read_text(encoding="utf-8").rstrip("\n").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert errors_of(root) == []
    plan = content_load(root=root, actor="tests")
    assert not plan.changed, plan.details()
    assert _as_loaded() == original


def test_content_fix_keeps_crlf_line_endings_and_a_byte_order_mark(tmp_path):
    root = copy_valid(tmp_path)
    path = root / "courses.yaml"
    text = strip_ids(path.read_text(encoding="utf-8")).replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert content_fix(root=root).changed == {path: 3}
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == raw.count(b"\n") == text.count("\r\n") + 3
    assert errors_of(root) == []


def test_content_fix_reports_a_file_it_cannot_read_and_exits_with_status_1(tmp_path):
    root = copy_valid(tmp_path)
    (root / "levels.yaml").write_bytes(b"# not UTF-8: \xff\xfe\n")
    stdout = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("content_fix", str(root), stdout=stdout)
    assert raised.value.returncode == 1
    lines = stdout.getvalue().replace(display_path(root) + "/", "content/").splitlines()
    unreadable = "content/levels.yaml:1: cannot fix this file: file is not valid UTF-8 text"
    assert f"{unreadable}; save it as UTF-8" in lines
    assert str(raised.value) == "1 file(s) could not be read and were left as they are"


def test_content_fix_and_validate_content_take_a_single_file(tmp_path):
    root = copy_valid(tmp_path)
    for relative in ("courses.yaml", "tracks/web/junior.yaml"):
        path = root / relative
        path.write_text(strip_ids(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = (root / "tracks/web/junior.yaml").read_text(encoding="utf-8")
    stdout = StringIO()
    call_command("content_fix", str(root / "courses.yaml"), stdout=stdout)
    assert stdout.getvalue().endswith("3 fix(es) in 1 file(s)\n")
    assert (root / "tracks/web/junior.yaml").read_text(encoding="utf-8") == before
    stdout = StringIO()
    call_command("validate_content", str(root / "courses.yaml"), stdout=stdout)
    assert stdout.getvalue() == f"{display_path(root)}/courses.yaml OK, 0 errors\n"
    with pytest.raises(CommandError, match=r"^\d+ error\(s\) in 1 file\(s\)"):
        call_command("validate_content", str(root / "tracks/web/junior.yaml"), stdout=StringIO())


def test_validate_content_on_one_file_includes_its_errors_across_files(tmp_path):
    root = copy_valid(tmp_path)
    edit(root, "tracks/web/junior.yaml", "pick_one: [mdn-learn,", "pick_one: [no-such-course,")
    edit(root, "courses.yaml", "    cost: paid", "    cost: dear")
    stdout = StringIO()
    with pytest.raises(CommandError):
        call_command("validate_content", str(root / "tracks/web/junior.yaml"), stdout=stdout)
    assert stdout.getvalue().replace(display_path(root) + "/", "content/").splitlines() == [
        "content/tracks/web/junior.yaml:23: courses.pick_one[0]: unknown course `no-such-course` "
        "(not in courses.yaml)"
    ]


def test_validate_content_prints_github_annotations_and_a_markdown_summary(tmp_path):
    root = copy_valid(tmp_path)
    edit(root, "courses.yaml", "    cost: paid", "    cost: dear")
    edit(root, "tracks/web/mid-level.yaml", "    teaches: Retries", "    teachs: Retries")
    summary = tmp_path / "summary.md"
    stdout = StringIO()
    with pytest.raises(CommandError):
        call_command("validate_content", str(root), format="github", summary=summary, stdout=stdout)
    where = display_path(root)
    assert stdout.getvalue().splitlines() == [
        f"::error file={where}/courses.yaml,line=27,title=courses[2].cost::input should be "
        "'free' or 'paid'",
        f"::error file={where}/tracks/web/mid-level.yaml,line=21,title=projects[1].teachs::"
        "unknown field; did you mean `teaches`? (allowed%3A id, title, teaches)".replace(
            "%3A", ":"
        ),
    ]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Content validation\n\n### Errors (2)\n\n")
    assert f"- `{where}/courses.yaml:27` **courses[2].cost**: input should be" in text


def test_a_github_annotation_escapes_what_would_end_its_fields():
    from roadmap.content.errors import github_annotation

    error = ContentError("content/a,b.yaml", 3, "x:y", "100% sure\nnext line")
    assert github_annotation(error, "warning") == (
        "::warning file=content/a%2Cb.yaml,line=3,title=x%3Ay::100%25 sure%0Anext line"
    )


def test_validate_content_never_says_nothing_was_loaded(tmp_path):
    root = copy_valid(tmp_path)
    edit(root, "courses.yaml", "    cost: paid", "    cost: dear")
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("validate_content", str(root), stdout=stdout, stderr=stderr)
    assert "loaded" not in stdout.getvalue() + stderr.getvalue() + str(raised.value)


# --- warnings: text that contradicts the structure --------------------------------------------


def warnings_of(root: Path) -> list[str]:
    prefix = display_path(root) + "/"
    return [str(warning).replace(prefix, "content/") for warning in read_tree(root).warnings]


def test_the_valid_fixture_has_no_warnings():
    assert warnings_of(VALID) == []


def add_stage(root: Path, track: str, level: str, copy_of: str) -> None:
    """A new stage file, a copy of another with fresh ids."""
    text = (root / "tracks" / track / f"{copy_of}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\bid: \w+", lambda _: f"id: {new_id()}", text)
    (root / "tracks" / track / f"{level}.yaml").write_text(text, encoding="utf-8")


def test_an_entry_note_about_a_missing_first_stage_is_flagged_once_the_track_has_one(tmp_path):
    root = copy_valid(tmp_path)
    add_stage(root, "web", "beginner", copy_of="junior")
    edit(root, "tracks/web/track.yaml", "entry_level: junior", "entry_level: beginner")
    # the stated total still counts from Junior, so the timeline model's total does too
    edit(root, "tracks/web/track.yaml", "  to: mid-level", "  from: junior\n  to: mid-level")
    assert errors_of(root) == []
    assert warnings_of(root) == [
        "content/tracks/web/track.yaml:19: entry_note: explains why the track starts above "
        "Beginner, but it has tracks/web/beginner.yaml; delete or rewrite the note"
    ]
    stdout = StringIO()
    call_command("validate_content", str(root), stdout=stdout)  # a warning does not fail
    assert stdout.getvalue().replace(display_path(root) + "/", "content/").splitlines() == [
        "warning: content/tracks/web/track.yaml:19: entry_note: explains why the track starts "
        "above Beginner, but it has tracks/web/beginner.yaml; delete or rewrite the note",
        "content OK: 16 files, 2 tracks, 4 stages, 0 errors, 1 warning(s)",
    ]


def test_an_entry_note_that_points_at_the_first_stage_is_not_flagged(tmp_path):
    """A note may keep explaining where most people join, while sending newcomers to the
    Beginner stage the track now has; naming that stage is what tells the two apart."""
    root = copy_valid(tmp_path)
    add_stage(root, "web", "beginner", copy_of="junior")
    edit(root, "tracks/web/track.yaml", "entry_level: junior", "entry_level: beginner")
    # the stated total still counts from Junior, so the timeline model's total does too
    edit(root, "tracks/web/track.yaml", "  to: mid-level", "  from: junior\n  to: mid-level")
    text = (root / "tracks/web/track.yaml").read_text(encoding="utf-8")
    text = re.sub(
        r"entry_note: .*(\n  .*)*",
        "entry_note: Most people join at Junior; if you are new, the Beginner stage is your start.",
        text,
    )
    (root / "tracks/web/track.yaml").write_text(text, encoding="utf-8")
    assert errors_of(root) == []
    assert warnings_of(root) == []


def test_two_tracks_with_the_same_order_are_flagged(tmp_path):
    root = copy_valid(tmp_path)
    edit(root, "tracks/data/track.yaml", "order: 2", "order: 1")
    assert warnings_of(root) == [
        "content/tracks/web/track.yaml:4: order: 1 is also the order of tracks/data/track.yaml; "
        "give each track its own number"
    ]


PATTERNS = """        scores: {data: 3, web: 1}
        reasons:
          data: Spotting patterns is what data work is about.
          web: Charts on a web page show patterns too.
        serves: [data, web]"""
INTERFACES = """        scores: {web: 3}
        reasons:
          web: You like work you can see."""


def test_a_track_no_start_answer_can_recommend_is_flagged(tmp_path):
    root = copy_valid(tmp_path)
    edit(
        root, "questionnaire.yaml", PATTERNS, "        scores: {web: 1}\n        reasons: {web: x}"
    )
    assert warnings_of(root) == [
        "content/tracks/data/track.yaml:2: no set of /start/ answers recommends this track; give "
        "it points in some answers' `scores` in questionnaire.yaml, like `scores: {data: 3}`"
    ]


def test_a_track_that_wins_only_on_a_tie_counts_as_reachable(tmp_path):
    root = copy_valid(tmp_path)
    # data and web tie at 3 on `patterns`; data wins only if its order is lower.
    tie = PATTERNS.replace("web: 1}", "web: 3}")
    edit(root, "questionnaire.yaml", PATTERNS, tie)
    edit(root, "questionnaire.yaml", INTERFACES, "        scores: {}")
    assert any("recommends this track" in w for w in warnings_of(root))
    edit(root, "tracks/data/track.yaml", "order: 2", "order: 0")
    assert warnings_of(root) == [
        "content/tracks/web/track.yaml:2: no set of /start/ answers recommends this track; give "
        "it points in some answers' `scores` in questionnaire.yaml, like `scores: {web: 3}`"
    ]


def test_a_track_an_answer_is_served_by_wins_even_with_fewer_points(tmp_path):
    root = copy_valid(tmp_path)
    fewer = PATTERNS.replace("data: 3, web: 1}", "data: 1, web: 3}")
    edit(root, "questionnaire.yaml", PATTERNS, fewer)
    assert any("tracks/data/track.yaml" in w for w in warnings_of(root))
    edit(root, "questionnaire.yaml", "serves: [data, web]", "serves: [data]")
    assert warnings_of(root) == []


def test_content_report_lists_the_warnings(tmp_path, settings):
    root = copy_valid(tmp_path)
    edit(root, "tracks/data/track.yaml", "order: 2", "order: 1")
    settings.CONTENT_DIR = root
    stdout = StringIO()
    call_command("content_report", stdout=stdout)
    assert "WARNING " in stdout.getvalue()
    assert "order: 1 is also the order of tracks/data/track.yaml" in stdout.getvalue()


# --- one home per content kind ---------------------------------------------------------------


@pytest.fixture
def videos_kind(monkeypatch):
    """A made-up kind registered as an editor would add it: videos in `content/videos.yaml`,
    named by slug from stages. Returns its schema's entry model."""
    from pydantic import Field as PydanticField

    from roadmap.content import kinds, schema
    from roadmap.content.columns import POSITION, texts

    class VideoEntry(schema.Identified):
        slug: schema.Slug = PydanticField(description="The video's slug.", examples=["intro"])
        title: schema.Line = PydanticField(description="Its title.", examples=["Intro"])
        url: schema.Url = PydanticField(description="Its address.", examples=["https://x.org/"])

    class VideosFile(schema.Strict):
        videos: list[VideoEntry] = PydanticField(description="Every video.", examples=[[]])

    class StageWithVideos(schema.StageFile):
        videos: list[schema.Slug] = PydanticField(default=[], description="Videos.", examples=[[]])

    stage = kinds.KINDS["stage"]
    videos = kinds.ContentKind(
        name="videos", pattern="videos.yaml", schema=VideosFile, model="catalog.Video",
        noun="video", plural="videos", list_key="videos", urls=("url",),
        columns=(*texts("slug title url"), POSITION),
    )  # fmt: skip
    monkeypatch.setitem(kinds.KINDS, "videos", videos)
    monkeypatch.setitem(
        kinds.KINDS,
        "stage",
        kinds.ContentKind(
            **{
                **stage.__dict__,
                "schema": StageWithVideos,
                "links": (*stage.links, kinds.Link(("videos", kinds.EACH_ITEM), ("videos",))),
            }
        ),
    )
    return VideoEntry


@pytest.fixture
def video_model(transactional_db):
    """The kind's Django model, as its migration would create it (a table for this test only)."""
    from django.apps import apps
    from django.db import connection, models

    class Video(m.FileOwned):
        slug = models.SlugField(max_length=80)
        title = models.CharField(max_length=300)
        url = models.URLField(max_length=500)
        order = models.PositiveIntegerField(default=0)

        FILE_FIELDS = ("slug", "title", "url", "order")

        class Meta:
            app_label = "catalog"

    with connection.schema_editor() as editor:
        editor.create_model(Video)
    try:
        yield Video
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Video)
        del apps.all_models["catalog"]["video"]
        apps.clear_cache()


def write_videos(root: Path) -> None:
    (root / "videos.yaml").write_text(
        "videos:\n  - slug: intro\n    title: Intro\n    url: https://example.com/intro\n"
        "  - slug: intro\n    title: Again\n    url: ftp://example.com/again\n",
        encoding="utf-8",
    )


def test_a_new_content_kind_is_one_registry_entry(tmp_path, videos_kind):
    """Registering a kind (here, videos linked from a stage by slug) is all the reader, the rules,
    content_fix, the JSON Schema and the report need: no other pipeline code names kinds."""
    from roadmap.content.jsonschema import schema_texts
    from roadmap.content.links import content_urls
    from roadmap.content.report import content_report

    root = copy_valid(tmp_path)
    assert errors_of(root) == ["content/videos.yaml:1: file is missing"]
    write_videos(root)
    edit(root, "tracks/web/junior.yaml", "mistakes:\n", "videos: [intro, outro]\nmistakes:\n")
    assert content_fix(root=root).changed == {root / "videos.yaml": 3}  # schema line and 2 ids
    assert errors_of(root) == [
        "content/tracks/web/junior.yaml:25: videos[1]: unknown video `outro` (not in videos.yaml)",
        "content/videos.yaml:8: videos[1].slug: duplicate slug `intro` (also videos[0])",
        "content/videos.yaml:10: videos[1].url: must be an http:// or https:// address, like "
        "`https://example.com/`",
    ]
    edit(root, "videos.yaml", "ftp://example.com/again", "https://example.com/again")
    edit(root, "videos.yaml", "slug: intro\n    title: Again", "slug: outro\n    title: Again")
    assert errors_of(root) == []
    assert "videos.json" in schema_texts()
    tree = read_tree(root)
    assert content_report(tree).counts["videos"] == 2
    assert content_urls(tree)["https://example.com/intro"] == "videos.yaml: intro"


def test_a_new_content_kind_loads_and_exports_with_no_pipeline_code(
    tmp_path, videos_kind, video_model
):
    """With the registry entry and its model, the loader loads the new kind's rows and export
    writes an admin's edits and additions back into its file: neither names kinds one by one."""
    from roadmap.content.exporter import content_export

    root = copy_valid(tmp_path)
    write_videos(root)
    edit(root, "videos.yaml", "slug: intro\n    title: Again", "slug: outro\n    title: Again")
    edit(root, "videos.yaml", "ftp://example.com/again", "https://example.com/again")
    content_fix(root=root)

    plan = content_load(root=root, actor="test")
    assert plan.created["video"] == 2
    rows = video_model.objects.order_by("order")
    assert [(v.slug, v.title, v.order) for v in rows] == [
        ("intro", "Intro", 0),
        ("outro", "Again", 1),
    ]

    intro = rows[0]
    intro.title = "Intro, again"  # an admin's edit
    intro.save()
    video_model.objects.create(
        slug="extra", title="Extra", url="https://example.com/extra", order=2
    )
    plan = content_export(root=root)
    videos_file = display_path(root / "videos.yaml")
    assert [(c.path, c.content_id, c.what) for c in plan.changes] == [
        (videos_file, content_id_of(video_model, "extra"), "created"),
        (videos_file, intro.content_id, "title"),
    ]
    text = (root / "videos.yaml").read_text(encoding="utf-8")
    assert "title: Intro, again" in text
    assert "slug: extra" in text
    assert errors_of(root) == []
    assert not content_load(root=root, actor="test").changed  # the files now say what admin said


def content_id_of(model, slug: str) -> str:
    return model.objects.get(slug=slug).content_id
