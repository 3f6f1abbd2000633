"""`export_content`: admin edits reach the files without losing anything an editor wrote.

Every test starts from the small valid tree (tests/content/valid), loaded; the files are then
changed as an editor would (uncommitted new files and edits) and rows as an admin would.
"""

import difflib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from roadmap.catalog import models as m
from roadmap.content.exporter import ExportConflicts, content_export, write_all
from roadmap.content.loader import AdminEditsFound, content_load

pytestmark = pytest.mark.django_db

NEW_GUIDE = """---
# yaml-language-server: $schema=../schema/guide.json
id: newguide01
title: A guide nobody committed yet
summary: Written by an editor this morning.
order: 2
---
Work in progress.
"""


def load(root: Path, **options):
    return content_load(root=root, actor="tests", **options)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def texts(root: Path) -> dict[Path, str]:
    return {p: p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def test_export_keeps_a_new_file_and_an_uncommitted_edit_and_writes_the_admin_edit(
    valid_content,
):
    root = valid_content
    (root / "guides/new-guide.md").write_text(NEW_GUIDE)  # the editor's new, uncommitted file
    edit(root / "courses.yaml", "The official tutorial, start to finish.", "Edited by an editor.")
    course = m.Course.objects.get(slug="mdn-learn")
    course.title = "Learn the web, from MDN"  # the admin's edit, in the same file
    course.save()
    before = texts(root)

    plan = content_export(root=root)

    after = texts(root)
    assert plan.written == [root / "courses.yaml"]
    assert after[root / "guides/new-guide.md"] == NEW_GUIDE
    assert after[root / "courses.yaml"] == before[root / "courses.yaml"].replace(
        "title: Learn web development", "title: Learn the web, from MDN"
    )
    assert "Edited by an editor." in after[root / "courses.yaml"]
    assert {p: t for p, t in after.items() if p != root / "courses.yaml"} == {
        p: t for p, t in before.items() if p != root / "courses.yaml"
    }
    # The next load takes all three: the new guide, the editor's summary, the admin's title.
    result = load(root)
    assert result.admin_edits == []
    assert m.Guide.objects.get(slug="new-guide").title == "A guide nobody committed yet"
    assert m.Course.objects.get(slug="django-tutorial").summary == "Edited by an editor."
    assert m.Course.objects.get(slug="mdn-learn").title == "Learn the web, from MDN"


def test_an_admin_markdown_edit_typed_in_a_browser_settles_after_export_and_load(
    valid_content, admin_client
):
    root = valid_content
    guide = m.Guide.objects.get(slug="levels")
    form = {
        "slug": guide.slug,
        "title": guide.title,
        "summary": guide.summary,
        "order": str(guide.order),
        "body": "A guide body.\r\n\r\n## Junior\r\n\r\nFinishes tasks well.   \r\n\r\n",
        "published": "on",
        "editorial_note": "",
    }
    page = admin_client.post(f"/admin/catalog/guide/{guide.pk}/change/", form)
    assert page.status_code == 302, page.context["adminform"].form.errors
    guide.refresh_from_db()
    assert "\r" not in guide.body and guide.body.endswith("Finishes tasks well.")

    content_export(root=root)
    assert (root / "guides/levels.md").read_text().endswith("\n\nFinishes tasks well.\n")
    plan = load(root)
    assert plan.admin_edits == [] and not plan.changed
    assert load(root).summary() == plan.summary()  # and it stays settled


def test_a_field_changed_in_both_admin_and_the_file_stops_the_export_naming_both(
    valid_content, settings, capsys
):
    root = valid_content
    edit(root / "courses.yaml", "The basics of HTML, CSS and JavaScript.", "The editor's summary.")
    course = m.Course.objects.get(slug="mdn-learn")
    course.summary = "The admin's summary."
    course.save()
    item = m.StageItem.objects.get(content_id="pq2b6wex5t")
    item.text = "HTML and CSS, from the admin"  # no conflict here, but nothing may be written
    item.save()
    before = texts(root)

    with pytest.raises(ExportConflicts) as raised:
        content_export(root=root)

    [conflict] = raised.value.plan.conflicts
    assert str(conflict).endswith(
        'courses.yaml:7: course eruxr81eca summary: the file says "The editor\'s summary.", '
        'admin says "The admin\'s summary."'
    )
    assert texts(root) == before
    settings.CONTENT_DIR = root
    with pytest.raises(CommandError, match="type the admin's value into the file"):
        call_command("export_content")
    assert "course eruxr81eca summary" in capsys.readouterr().out
    assert texts(root) == before


def test_a_value_already_in_the_file_is_no_conflict(valid_content):
    root = valid_content
    edit(root / "courses.yaml", "    cost: paid\n", "    cost: free\n")
    course = m.Course.objects.get(slug="paid-course")
    course.cost = "free"
    course.save()
    before = texts(root)
    assert content_export(root=root).written == []
    assert texts(root) == before


def test_a_row_created_in_admin_is_appended_where_a_load_reads_it(valid_content):
    root = valid_content
    stage = m.Stage.objects.get(content_id="qgn88sqegp")
    item = m.StageItem.objects.create(stage=stage, kind="skill", order=99, text="Reading logs")
    course = m.Course.objects.create(
        slug="new-course",
        title="A course from admin",
        provider="Somebody",
        summary="Added in admin.",
        url="https://example.org/course",
        cost="free",
        kind="course",
        effort_min=4,
        effort_max=8,
    )
    with pytest.raises(AdminEditsFound):
        load(root)

    content_export(root=root)

    stage_file = (root / "tracks/web/junior.yaml").read_text()
    assert (
        '    text: "HTTP: requests, responses and status codes"\n'
        f"  - id: {item.content_id}\n    text: Reading logs\nready_when:" in stage_file
    )
    assert (
        f"  - id: {course.content_id}\n    slug: new-course\n"
        in (root / "courses.yaml").read_text()
    )
    assert load(root).admin_edits == []
    assert m.StageItem.objects.get(content_id=item.content_id).pk == item.pk  # same row, same id


def test_a_row_deleted_in_admin_leaves_the_files_only_when_asked(valid_content, settings, capsys):
    root = valid_content
    m.StageItem.objects.get(content_id="kdwzs3tlx1").delete()
    with pytest.raises(AdminEditsFound, match="1 row"):
        load(root)  # a load would bring it back: it stops instead

    settings.CONTENT_DIR = root
    call_command("export_content")
    assert "kdwzs3tlx1" in (root / "tracks/web/junior.yaml").read_text()
    assert "--retire-deleted" in capsys.readouterr().out

    call_command("export_content", "--retire-deleted")
    assert "kdwzs3tlx1" not in (root / "tracks/web/junior.yaml").read_text()
    plan = load(root)
    assert plan.admin_edits == [] and not m.AdminDeletion.objects.exists()


def test_an_edit_of_a_row_an_editor_moved_to_another_file_lands_where_the_row_is_now(
    valid_content,
):
    root = valid_content
    junior, mid = root / "tracks/web/junior.yaml", root / "tracks/web/mid-level.yaml"
    block = "  - id: kdwzs3tlx1\n    text: Never reading error messages to the end.\n"
    edit(junior, block, "")
    edit(mid, "mistakes:\n", "mistakes:\n" + block)
    item = m.StageItem.objects.get(content_id="kdwzs3tlx1")
    item.text = "Never reading error messages."
    item.save()

    content_export(root=root)

    assert "kdwzs3tlx1" not in junior.read_text()
    assert "  - id: kdwzs3tlx1\n    text: Never reading error messages.\n" in mid.read_text()


def test_export_keeps_a_files_windows_line_endings(valid_content):
    root = valid_content
    path = root / "courses.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    course = m.Course.objects.get(slug="mdn-learn")
    course.title = "Learn the web"
    course.save()
    content_export(root=root)
    raw = path.read_bytes()
    assert b"title: Learn the web\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")


def test_all_files_are_written_or_none(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("old\n")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be\n")
    with pytest.raises(OSError):
        write_all({good: "new\n", blocker / "bad.yaml": "new\n"})
    assert good.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.yaml", "not-a-folder"]


def test_every_kind_of_field_an_admin_edits_goes_back_to_its_line_and_settles(valid_content):
    root = valid_content
    track = m.Track.objects.get(slug="web")
    track.duration_max = Decimal("3.5")  # a nested key: stated.max (still agrees with the model)
    track.save()
    stage = m.Stage.objects.get(content_id="qgn88sqegp")
    stage.source = None  # a link to another file's row, removed
    stage.save()
    first, second = stage.course_links.order_by("order")
    first.order, second.order = 1, 0  # the stage's course list, reordered
    first.save()
    second.save()
    option = m.AnswerOption.objects.filter(scores__has_key="data").first()
    option.scores = {"data": 5, "web": 1}
    option.save()
    guide = m.Guide.objects.get(slug="levels")
    guide.order = 7
    guide.save()
    before = texts(root)

    content_export(root=root)

    assert {p.name: n for p, n in _diff_counts(before, texts(root)).items()} == {
        "track.yaml": 2,
        "junior.yaml": 3,
        "questionnaire.yaml": 2,
        "levels.md": 2,
    }
    plan = load(root)
    assert plan.admin_edits == [] and not plan.changed
    assert m.Track.objects.get(slug="web").duration_label.endswith("3.5 years")
    assert m.Stage.objects.get(content_id="qgn88sqegp").source is None


def _diff_counts(before: dict[Path, str], after: dict[Path, str]) -> dict[Path, int]:
    counts = {}
    for path in after:
        diff = difflib.unified_diff(before.get(path, "").splitlines(), after[path].splitlines())
        count = sum(1 for line in list(diff)[2:] if line[:1] in "+-")
        if count:
            counts[path] = count
    return counts


def test_a_guide_created_in_admin_becomes_a_new_file_that_loads(valid_content):
    root = valid_content
    guide = m.Guide.objects.create(
        slug="from-admin", title="From admin", summary="Written in admin.", order=3, body="Hi."
    )
    content_export(root=root)
    text = (root / "guides/from-admin.md").read_text()
    assert text == (
        "---\n# yaml-language-server: $schema=../schema/guide.json\n"
        f"id: {guide.content_id}\ntitle: From admin\nsummary: Written in admin.\norder: 3\n"
        "---\nHi.\n"
    )
    assert load(root).admin_edits == []


def test_a_stage_created_in_admin_with_its_items_becomes_a_file_that_loads(valid_content):
    root = valid_content
    stage = m.Stage.objects.create(
        track=m.Track.objects.get(slug="web"),
        level=m.Level.objects.get(slug="senior"),
        summary="Lead the work.",
        duration_min=Decimal(2),
        duration_unit="years",
    )
    for kind in ("skill", "ready_when", "project", "mistake", "expectation"):
        teaches = "Leading." if kind == "project" else ""
        m.StageItem.objects.create(stage=stage, kind=kind, text=f"A {kind}", teaches=teaches)
    m.StageCourse.objects.create(stage=stage, course=m.Course.objects.get(slug="mdn-learn"))
    question = m.Question.objects.create(slug="from-admin", text="Asked from admin?")
    for slug in ("yes", "no"):
        m.AnswerOption.objects.create(question=question, slug=slug, label=slug, reason="Because.")

    content_export(root=root)

    text = (root / "tracks/web/senior.yaml").read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=../../schema/stage.json\n"
        f"id: {stage.content_id}\nduration:\n  min: 2\n  unit: years\nsummary: Lead the work.\n"
        "skills:\n"
    )
    assert "    title: A project\n    teaches: Leading.\ncourses:\n  - mdn-learn\nmistakes:" in text
    questionnaire = (root / "questionnaire.yaml").read_text()
    assert (
        '        slug: "yes"\n        label: "yes"\n' in questionnaire
    )  # not a boolean to YAML 1.1
    plan = load(root)
    assert plan.admin_edits == []
    assert m.Stage.objects.visible().get(track__slug="web", level__slug="senior").pk == stage.pk


def test_a_file_export_cannot_read_is_named_and_nothing_is_written(valid_content, settings, capsys):
    root = valid_content
    edit(root / "courses.yaml", "    cost: paid\n", "    cost: [paid\n")  # an editor mid-edit
    item = m.StageItem.objects.get(content_id="pq2b6wex5t")
    item.text = "HTML and CSS, from the admin"
    item.save()
    course = m.Course.objects.get(slug="mdn-learn")
    course.title = "Learn the web"
    course.save()
    before = texts(root)
    settings.CONTENT_DIR = root
    with pytest.raises(CommandError, match=r"courses.yaml:2[78]: invalid YAML: .* fix it"):
        call_command("export_content")
    assert texts(root) == before


def test_an_admin_edit_of_a_row_an_editor_removed_is_a_conflict(valid_content):
    root = valid_content
    edit(
        root / "tracks/web/junior.yaml",
        "  - id: kdwzs3tlx1\n    text: Never reading error messages to the end.\n",
        "",
    )
    item = m.StageItem.objects.get(content_id="kdwzs3tlx1")
    item.text = "Never reading the error message."
    item.save()
    with pytest.raises(ExportConflicts) as raised:
        content_export(root=root)
    assert str(raised.value.plan.conflicts[0]).endswith(
        'tracks/web/junior.yaml:1: stage item kdwzs3tlx1 text: admin changed it to "Never reading '
        'the error message.", but the row is no longer in the files (removed since the last load)'
    )


def test_an_item_an_editor_added_survives_an_admin_edit_in_the_same_file(valid_content):
    root = valid_content
    stage_file = root / "tracks/web/junior.yaml"
    new_item = "  - id: neweditor1\n    text: Reading a stack trace\n"
    edit(stage_file, "ready_when:\n", new_item + "ready_when:\n")
    item = m.StageItem.objects.get(content_id="pq2b6wex5t")
    item.text = "HTML and CSS, the basics"
    item.save()

    content_export(root=root)

    text = stage_file.read_text()
    assert new_item in text and "    text: HTML and CSS, the basics\n" in text
    plan = load(root)
    assert plan.created["stage item"] == 1 and plan.admin_edits == []


def test_a_file_indented_its_own_way_keeps_its_indentation(valid_content):
    root = valid_content
    path = root / "courses.yaml"
    path.write_text(path.read_text().replace("\n  - id:", "\n- id:").replace("\n    ", "\n  "))
    course = m.Course.objects.get(slug="mdn-learn")
    course.title = "Learn the web"
    course.save()
    before = path.read_text()
    content_export(root=root)
    assert path.read_text() == before.replace(
        "  title: Learn web development", "  title: Learn the web"
    )


def test_an_admin_edit_of_a_tracks_timeline_goes_back_into_its_file_and_settles(valid_content):
    track = m.Track.objects.get(slug="web")
    extras = [dict(extra) for extra in track.timeline["extras"]]
    extras[1]["name"] = "Working in a first developer job"
    extras[1]["duration"] = {"min": 1, "max": 2.5, "unit": "years"}
    track.timeline = {**track.timeline, "extras": extras}
    track.save()

    content_export(root=valid_content)

    text = (valid_content / "tracks/web/track.yaml").read_text(encoding="utf-8")
    assert "name: Working in a first developer job" in text
    assert "max: 2.5" in text
    plan = load(valid_content)
    assert plan.admin_edits == [] and not plan.changed
    assert m.Track.objects.get(slug="web").timeline["extras"][1]["duration"]["max"] == 2.5


def test_an_admin_edit_of_an_answers_reasons_and_serves_and_a_synonym_settles(valid_content):
    root = valid_content
    option = m.AnswerOption.objects.get(slug="patterns")
    option.reasons = {**option.reasons, "data": "Edited in admin."}
    option.serves = ["data"]
    option.save()
    synonym = m.SearchSynonym.objects.get(slug="database")
    synonym.also = ["db", "sql store"]
    synonym.save()

    content_export(root=root)

    questionnaire = (root / "questionnaire.yaml").read_text()
    assert "          data: Edited in admin.\n          web: Charts" in questionnaire
    assert "        serves: [data]\n" in questionnaire  # the file's own flow style kept
    assert "    also: [db, sql store]\n" in (root / "search_synonyms.yaml").read_text()
    plan = load(root)
    assert plan.admin_edits == [] and not plan.changed
