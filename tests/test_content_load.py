"""Loading content/ into the database: idempotent, all-or-nothing, never deleting, never
silently overwriting an admin's edit; a plan that names what changes; one load at a time.

Every test loads a copy of the small valid tree (tests/content/valid), never the real content/
(tests/test_real_content.py checks that the real files validate and name their JSON Schema).
"""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from roadmap.catalog import models as m
from roadmap.content.exporter import content_export
from roadmap.content.loader import AdminEditsFound, content_load

pytestmark = pytest.mark.django_db
VALID = Path(__file__).parent / "content" / "valid"


@pytest.fixture
def tree(valid_tree) -> Path:
    """A private copy of the small valid tree that a test may edit."""
    return valid_tree


def load(root: Path, **options):
    return content_load(root=root, actor="tests", **options)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_a_second_load_with_no_change_writes_nothing(tree):
    first = load(tree)
    assert first.created["course"] == 3 and first.created["stage item"] > 0
    second = load(tree)
    total = sum(first.created.values())
    assert second.summary() == f"0 created, 0 updated, 0 retired, {total} unchanged"
    assert m.ContentLoad.objects.count() == 1  # the no-op load is not recorded as a change


def test_the_command_prints_the_plan_summary(tree, settings, capsys):
    settings.CONTENT_DIR = tree
    call_command("load_content")
    call_command("load_content")
    out = capsys.readouterr().out
    assert re.search(r"^0 created, 0 updated, 0 retired, \d+ unchanged$", out, re.M)


def test_a_dry_run_prints_the_plan_and_writes_nothing(tree, settings, capsys):
    settings.CONTENT_DIR = tree
    call_command("load_content", "--dry-run")
    out = capsys.readouterr().out
    assert out.startswith("Dry run, nothing written: ")
    assert "stage item: " in out
    assert m.Track.objects.count() == 0
    assert m.ContentLoad.objects.count() == 0


def test_every_load_that_changes_something_is_recorded_with_its_git_commit():
    plan = load(VALID)  # inside the repository's checkout, so it has a last commit
    record = m.ContentLoad.objects.get()
    assert record.actor == "tests"
    assert (record.created, record.updated, record.retired) == (sum(plan.created.values()), 0, 0)
    expected = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", "."],
        cwd=VALID,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert record.git_commit == expected and len(expected) == 40


def test_an_item_removed_from_a_file_is_retired_not_deleted(tree):
    load(tree)
    stage_file = tree / "tracks/web/junior.yaml"
    text = stage_file.read_text()
    block = re.search(r"  - id: (\w+)\n    text: [^\n]+\n", text.split("ready_when:")[1])
    stage_file.write_text(text.replace(block.group(0), "", 1))
    plan = load(tree)
    assert plan.retired["stage item"] == 1
    item = m.StageItem.objects.get(content_id=block.group(1))
    assert item.retired
    assert item not in m.StageItem.objects.visible()


def test_an_item_moved_to_another_level_keeps_its_id_and_row(tree):
    load(tree)
    junior = tree / "tracks/web/junior.yaml"
    mid = tree / "tracks/web/mid-level.yaml"
    text = junior.read_text()
    block = re.search(r"  - id: (\w+)\n    text: [^\n]+\n", text.split("skills:")[1]).group(0)
    item_id = block.split()[2]
    junior.write_text(text.replace(block, "", 1))
    edit(mid, "skills:\n", "skills:\n" + block)
    row_before = m.StageItem.objects.get(content_id=item_id)
    plan = load(tree)
    assert plan.retired["stage item"] == 0
    row_after = m.StageItem.objects.get(content_id=item_id)
    assert row_after.pk == row_before.pk
    assert row_after.stage.level.slug == "mid-level"


def test_a_failed_load_leaves_the_database_exactly_as_it_was(tree):
    load(tree)
    before = list(m.StageItem.objects.values())
    edit(tree / "tracks/web/junior.yaml", "unit: months", "unit: fortnights")
    edit(tree / "courses.yaml", "cost: free", "cost: cheap")
    with pytest.raises(Exception) as failure:
        load(tree)
    assert len(failure.value.errors) == 2
    assert list(m.StageItem.objects.values()) == before


def test_markdown_is_rendered_and_sanitised_at_load_time(tree):
    guide = tree / "guides/levels.md"
    guide.write_text(
        guide.read_text()
        + '\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n'
        + "\n[x](javascript:alert(3))\n"
    )
    load(tree)
    html = m.Guide.objects.get(slug="levels").body_html
    assert '<h2 id="junior">Junior</h2>' in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_a_renamed_track_folder_keeps_redirecting_from_the_old_slug(tree):
    load(tree)
    (tree / "tracks/data").rename(tree / "tracks/data-science")
    questionnaire = tree / "questionnaire.yaml"
    text = re.sub(r"\bdata: ", "data-science: ", questionnaire.read_text())
    questionnaire.write_text(text.replace("serves: [data,", "serves: [data-science,"))
    plan = load(tree)
    assert plan.updated["track"] == 1 and plan.created["track"] == 0
    assert m.TrackRedirect.objects.get(old_slug="data").track.slug == "data-science"


def test_curation_fields_survive_a_load(tree):
    load(tree)
    course = m.Course.objects.first()
    course.published, course.editorial_note = False, "check the link"
    course.save()
    edit(tree / "courses.yaml", course.summary, "A new summary from the files.")
    load(tree)
    course.refresh_from_db()
    assert (course.published, course.editorial_note) == (False, "check the link")
    assert course.summary == "A new summary from the files."


def test_an_admin_edit_stops_the_load_and_names_the_row_and_field(tree, settings, capsys):
    load(tree)
    item = m.StageItem.objects.filter(kind="project").first()
    item.teaches = "Edited in admin"
    item.save()
    edit(tree / "courses.yaml", "cost: free", "cost: paid")  # an unrelated file change
    with pytest.raises(AdminEditsFound) as found:
        load(tree)
    assert [str(e) for e in found.value.edits] == [f"stage item {item.content_id}: teaches"]
    assert m.Course.objects.filter(cost="paid").count() < m.Course.objects.count()  # rolled back

    settings.CONTENT_DIR = tree
    with pytest.raises(CommandError, match="export_content.*--discard-admin-edits"):
        call_command("load_content")
    assert f"stage item {item.content_id}: teaches" in capsys.readouterr().out
    item.refresh_from_db()
    assert item.teaches == "Edited in admin"


def test_discarding_admin_edits_takes_the_files_values(tree):
    load(tree)
    item = m.StageItem.objects.filter(kind="project").first()
    original = item.teaches
    item.teaches = "Edited in admin"
    item.save()
    plan = load(tree, discard_admin_edits=True)
    item.refresh_from_db()
    assert item.teaches == original
    assert len(plan.admin_edits) == 1
    assert m.ContentLoad.objects.latest().discarded_admin_edits == 1


def test_an_item_created_in_admin_is_not_retired_silently(tree):
    load(tree)
    stage = m.Stage.objects.first()
    item = m.StageItem.objects.create(stage=stage, kind="skill", order=99, text="From admin")
    with pytest.raises(AdminEditsFound) as found:
        load(tree)
    assert str(found.value.edits[0]) == f"stage item {item.content_id}: created in admin"


def test_export_right_after_a_load_changes_no_file(tree):
    load(tree)
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    plan = content_export(root=tree)
    assert plan.written == [] and plan.changes == []
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before


def test_export_writes_an_admin_edit_into_its_file_and_nothing_else(tree):
    load(tree)
    item = m.StageItem.objects.filter(kind="project", stage__track__slug="web").first()
    old_teaches = item.teaches
    item.teaches = "Edited in admin"
    item.save()
    stage_file = tree / f"tracks/web/{item.stage.level.slug}.yaml"
    before = {p: p.read_text() for p in tree.rglob("*.*") if p.is_file()}

    plan = content_export(root=tree)

    assert plan.written == [stage_file]
    after = stage_file.read_text()
    assert after == before[stage_file].replace(old_teaches, "Edited in admin", 1)
    assert all(p.read_text() == text for p, text in before.items() if p != stage_file)
    # the files now agree with the database, so the next load goes through
    assert load(tree).admin_edits == []


def test_a_dry_run_counts_the_learners_who_ticked_items_about_to_be_retired(tree, capsys, settings):
    from roadmap.progress.models import Learner, Tick

    load(tree)
    item = m.StageItem.objects.filter(kind="ready_when").select_related("stage__track").first()
    for learner in (Learner.objects.create(), Learner.objects.create()):
        Tick.objects.create(learner=learner, item_id=item.content_id)
    path = tree / "tracks" / item.stage.track.slug / f"{item.stage.level.slug}.yaml"
    lines = path.read_text().splitlines(keepends=True)
    at = lines.index(f"  - id: {item.content_id}\n")
    path.write_text("".join(lines[:at] + lines[at + 2 :]))  # the id line and the text line
    settings.CONTENT_DIR = tree
    call_command("load_content", "--dry-run")
    assert "  2 learner(s) ticked items about to be retired (kept)" in capsys.readouterr().out
    assert not m.StageItem.objects.get(content_id=item.content_id).retired


def test_a_track_id_changed_and_changed_back_takes_its_old_row_again(tree):
    load(tree)
    track_file = tree / "tracks/web/track.yaml"
    original = re.search(r"^id: (\w+)$", track_file.read_text(), re.M).group(1)
    edit(track_file, f"id: {original}", "id: replacement01")
    assert load(tree).retired["track"] == 1
    edit(track_file, "id: replacement01", f"id: {original}")
    plan = load(tree)
    assert (plan.retired["track"], plan.updated["track"]) == (1, 1)
    assert m.Track.objects.visible().get(slug="web").content_id == original


# --- the plan names what changes --------------------------------------------------------------


def test_a_dry_run_names_each_change_by_file_kind_id_and_title(tree, settings, capsys):
    load(tree)
    edit(tree / "courses.yaml", "title: Learn web development", "title: Learn the web")
    stage_file = tree / "tracks/web/junior.yaml"
    edit(stage_file, "  - id: kdwzs3tlx1\n    text: Never reading error messages to the end.\n", "")
    settings.CONTENT_DIR = tree
    call_command("load_content", "--dry-run")
    out = capsys.readouterr().out
    assert f"updated (title): {tree}/courses.yaml course eruxr81eca 'Learn the web'" in out
    assert f"retired: {tree}/tracks/web/junior.yaml stage item kdwzs3tlx1" in out
    assert m.Course.objects.get(content_id="eruxr81eca").title == "Learn web development"


def test_the_plan_in_markdown_is_a_table_for_the_pull_requests_summary(tree, settings, capsys):
    load(tree)
    edit(tree / "courses.yaml", "summary: The basics of HTML, CSS and JavaScript.", "summary: A|B")
    settings.CONTENT_DIR = tree
    call_command("load_content", "--dry-run", "--format", "markdown")
    out = capsys.readouterr().out
    assert out.startswith("### Content load plan (dry run)\n\n**0 created, 1 updated, 0 retired")
    assert "| Change | File | Kind | Id | Title |" in out
    assert f"| updated: summary | `{tree}/courses.yaml` | course | `eruxr81eca` |" in out


def test_the_markdown_plan_of_invalid_content_lists_each_error(tree, settings, capsys):
    edit(tree / "courses.yaml", "cost: free", "cost: cheap")
    settings.CONTENT_DIR = tree
    with pytest.raises(CommandError, match="1 error"):
        call_command("load_content", "--dry-run", "--format", "markdown")
    out = capsys.readouterr().out
    assert "**1 error(s); the content would not load.**" in out
    assert "courses.yaml:9` `courses[0].cost`" in out


def test_a_row_deleted_in_admin_stops_the_load_instead_of_coming_back(tree):
    load(tree)
    m.StageItem.objects.get(content_id="kdwzs3tlx1").delete()
    with pytest.raises(AdminEditsFound) as found:
        load(tree)
    assert [str(e) for e in found.value.edits] == ["stage item kdwzs3tlx1: deleted in admin"]
    assert not m.StageItem.objects.filter(content_id="kdwzs3tlx1").exists()
    load(tree, discard_admin_edits=True)  # the files win: the row is back, the record gone
    assert m.StageItem.objects.filter(content_id="kdwzs3tlx1").exists()
    assert not m.AdminDeletion.objects.exists()


def test_a_load_is_announced_once_and_a_dry_run_not_at_all(tree):
    from roadmap.content.signals import content_loaded

    heard = []

    def receiver(plan, **kwargs):
        heard.append(plan.summary())

    content_loaded.connect(receiver)
    try:
        load(tree, dry_run=True)
        assert heard == []
        first = load(tree)
        second = load(tree)
    finally:
        content_loaded.disconnect(receiver)
    assert heard == [first.summary(), second.summary()]
    assert first.changed and not second.changed  # receivers see whether anything changed
