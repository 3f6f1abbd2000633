"""Ticks and notes in a real browser: with htmx, without JavaScript, and carried to a fresh
browser by export and import."""

import json
import re

import pytest
from conftest import axe_violations
from playwright.sync_api import expect

from roadmap.catalog import models as m

pytestmark = pytest.mark.browser

LEVEL = "/tracks/web/junior/"


def items(kind: str) -> list[m.StageItem]:
    return list(
        m.StageItem.objects.filter(
            stage__track__slug="web", stage__level__slug="junior", kind=kind, retired=False
        ).order_by("order")
    )


def checkbox(page, item: m.StageItem):
    return page.locator(f"#tick-box-{item.content_id}")


def count(page, item: m.StageItem):
    return page.locator(f"#level-count-{item.stage.content_id}")


def tick_with_htmx(page, item: m.StageItem) -> None:
    with page.expect_response(re.compile(f"/progress/items/{item.content_id}/$")) as answer:
        checkbox(page, item).check()
    assert answer.value.status == 200


def test_a_tick_saves_in_place_and_is_still_there_after_a_reload(page):
    criteria = items(m.ItemKind.READY_WHEN)
    page.goto(LEVEL)
    page.evaluate("window.__sameDocument = true")
    expect(count(page, criteria[0])).to_have_text("")

    tick_with_htmx(page, criteria[0])
    expect(count(page, criteria[0])).to_have_text(f"1 of {len(criteria)} ready")
    expect(checkbox(page, criteria[0])).to_be_checked()
    expect(checkbox(page, criteria[0])).to_be_focused()
    assert page.evaluate("window.__sameDocument === true")  # no page load

    page.reload()
    expect(checkbox(page, criteria[0])).to_be_checked()
    expect(checkbox(page, criteria[1])).not_to_be_checked()
    expect(count(page, criteria[0])).to_have_text(f"1 of {len(criteria)} ready")

    with page.expect_response(re.compile(f"/progress/items/{criteria[0].content_id}/$")):
        checkbox(page, criteria[0]).uncheck()
    expect(count(page, criteria[0])).to_have_text("")
    page.reload()
    expect(checkbox(page, criteria[0])).not_to_be_checked()


def test_a_tick_without_javascript_posts_and_comes_back_to_the_item(make_page):
    page = make_page(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    project = items(m.ItemKind.PROJECT)[1]
    page.goto(LEVEL)
    checkbox(page, project).check()
    page.locator(f"#ticks-{project.stage.content_id}-projects button", has_text="Save").click()
    expect(page).to_have_url(re.compile(f"{LEVEL}#item-"))
    expect(checkbox(page, project)).to_be_checked()


def test_a_note_saves_in_place_and_comes_back_after_a_reload(page):
    item = items(m.ItemKind.READY_WHEN)[0]
    note = page.locator(f"#note-text-{item.stage.content_id}")
    page.goto(LEVEL)
    note.fill("Ask Sam about the integration test <b>setup</b>.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(f"#note-status-{item.stage.content_id}")).to_have_text(
        "Your note is saved."
    )
    page.reload()
    expect(note).to_have_value("Ask Sam about the integration test <b>setup</b>.")


def test_export_then_import_in_a_fresh_browser_restores_every_tick_and_note(
    page, make_page, tmp_path
):
    criterion, project = items(m.ItemKind.READY_WHEN)[2], items(m.ItemKind.PROJECT)[0]
    stage_id = criterion.stage.content_id
    page.goto(LEVEL)
    tick_with_htmx(page, criterion)
    tick_with_htmx(page, project)
    page.locator(f"#note-text-{stage_id}").fill("Deployed on Fly.io.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(f"#note-status-{stage_id}")).to_have_text("Your note is saved.")

    page.goto("/progress/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    assert {t["id"] for t in json.loads(saved.read_text())["ticks"]} == {
        criterion.content_id,
        project.content_id,
    }
    with page.expect_download() as brag:
        page.get_by_role("link", name="Download a brag document (Markdown)").click()
    brag.value.save_as(tmp_path / "brag.md")
    assert f"- {project.text} (ticked " in (tmp_path / "brag.md").read_text()

    fresh = make_page(viewport={"width": 1280, "height": 900})
    fresh.goto(LEVEL)
    expect(checkbox(fresh, criterion)).not_to_be_checked()
    fresh.goto("/progress/")
    fresh.get_by_label("Import a progress file (.json)").set_input_files(saved)
    fresh.get_by_role("button", name="Import", exact=True).click()
    expect(fresh.get_by_text("Imported 2 ticks and 1 note.")).to_be_visible()
    fresh.goto(LEVEL)
    expect(checkbox(fresh, criterion)).to_be_checked()
    expect(checkbox(fresh, project)).to_be_checked()
    expect(fresh.locator(f"#note-text-{stage_id}")).to_have_value("Deployed on Fly.io.")


def test_a_file_that_is_not_ours_is_refused_with_a_message(page, tmp_path):
    other = tmp_path / "package.json"
    other.write_text('{"name": "my-app", "version": "1.0.0"}')
    page.goto("/progress/")
    page.get_by_label("Import a progress file (.json)").set_input_files(other)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("That file is not a Roadmap progress file")
    expect(page.get_by_text("Nothing ticked yet.")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_my_progress_and_a_ticked_level_have_no_accessibility_violations(make_page, scheme):
    page = make_page(color_scheme=scheme, reduced_motion="reduce")
    criterion = items(m.ItemKind.READY_WHEN)[0]
    page.goto(LEVEL)
    tick_with_htmx(page, criterion)
    assert axe_violations(page) == []
    page.goto("/progress/")
    assert axe_violations(page) == []
