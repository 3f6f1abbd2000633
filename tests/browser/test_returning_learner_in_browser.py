"""The returning learner in a real browser: where they left off, the next level once a level is
done, notes that survive a tab switch, one Save per section without JavaScript, and a level's
own URL that opens on the level."""

import re

import pytest
from conftest import axe_violations
from playwright.sync_api import expect

from roadmap.catalog import models as m

pytestmark = pytest.mark.browser

MID = "/tracks/web/mid-level/"


def stage(level: str) -> m.Stage:
    return m.Stage.objects.get(track__slug="web", level__slug=level, retired=False)


def items(level: str, kind: str) -> list[m.StageItem]:
    return list(stage(level).items.filter(kind=kind, retired=False).order_by("order"))


def tick(page, item: m.StageItem) -> None:
    with page.expect_response(re.compile(f"/progress/items/{item.content_id}/$")):
        page.locator(f"#tick-box-{item.content_id}").check()


def test_a_tick_on_a_level_makes_home_and_the_track_page_continue_there(page):
    page.goto(MID)
    tick(page, items("mid-level", m.ItemKind.READY_WHEN)[0])
    page.goto("/")
    where = page.locator(".continue")
    expect(where).to_contain_text("Web")
    expect(where).to_contain_text("Mid-level")
    expect(where).to_contain_text("1 of 2 ready")
    page.get_by_role("link", name=re.compile("^Continue")).click()
    expect(page).to_have_url(re.compile(f"{MID}#level-title$"))
    expect(page.locator("#level-title")).to_contain_text("Mid-level")

    page.goto("/tracks/web/")  # the track page opens their level, not the entry level
    expect(page.locator("#level-title")).to_contain_text("Mid-level")
    assert axe_violations(page) == []


def test_ticking_every_criterion_shows_the_next_level_and_the_transitions_guide(page):
    page.goto(MID)
    done = page.locator(f"#level-done-{stage('mid-level').content_id}")
    expect(done).to_be_empty()
    for item in items("mid-level", m.ItemKind.READY_WHEN):
        tick(page, item)
    expect(done).to_contain_text("you're ready for Senior")
    expect(done.get_by_role("link", name="Next: Senior →")).to_be_visible()
    expect(done.get_by_role("link", name=re.compile("The level map"))).to_be_visible()
    page.reload()  # and it says so at the top of the page on a fresh load too
    expect(done.get_by_role("link", name="Next: Senior →")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Next: Senior →").first.click()
    expect(page.locator("#level-title")).to_contain_text("Senior")


def test_every_level_ends_with_previous_and_next(page):
    page.goto(MID)
    pager = page.get_by_role("navigation", name=re.compile("Levels before and after"))
    expect(pager.get_by_role("link", name="← Previous: Junior")).to_be_visible()
    expect(pager.get_by_role("link", name="↑ Back to the level tabs")).to_be_visible()
    pager.get_by_role("link", name="Next: Senior →").click()
    expect(page).to_have_url(re.compile("/tracks/web/senior/$"))


def test_a_note_typed_and_left_by_a_tab_switch_is_there_when_coming_back(page):
    page.goto(MID)
    note = page.locator(f"#note-text-{stage('mid-level').content_id}")
    note.fill("Ask about the deploy checklist.")
    # Straight to another tab, before the typing pause would have saved it.
    page.locator("#tab-web-senior").click()
    expect(page.locator("#level-title")).to_contain_text("Senior")
    page.locator("#tab-web-mid-level").click()
    expect(page.locator("#level-title")).to_contain_text("Mid-level")
    expect(note).to_have_value(re.compile("Ask about the deploy checklist."))
    page.reload()
    expect(note).to_have_value(re.compile("Ask about the deploy checklist."))


def test_a_note_saves_as_you_type_and_says_so(page):
    page.goto(MID)
    stage_id = stage("mid-level").content_id
    note = page.locator(f"#note-text-{stage_id}")
    with page.expect_response(re.compile(f"/progress/levels/{stage_id}/note/$")):
        note.press_sequentially("Typed, not submitted.")
    expect(page.locator(f"#note-status-{stage_id}")).to_have_text("Your note is saved.")


def test_without_javascript_one_save_keeps_every_box_of_the_section(make_page):
    page = make_page(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    criteria = items("junior", m.ItemKind.READY_WHEN)
    page.goto("/tracks/web/junior/")
    section = page.locator(f"#ticks-{stage('junior').content_id}-ready")
    expect(section.get_by_role("button", name=re.compile("Save ticks"))).to_have_count(1)
    for item in criteria:
        page.locator(f"#tick-box-{item.content_id}").check()
    section.get_by_role("button", name=re.compile("Save ticks")).click()
    expect(page).to_have_url(re.compile(r"/tracks/web/junior/#item-"))
    for item in criteria:
        expect(page.locator(f"#tick-box-{item.content_id}")).to_be_checked()
    page.locator(f"#tick-box-{criteria[0].content_id}").uncheck()  # and unticking saves too
    section.get_by_role("button", name=re.compile("Save ticks")).click()
    expect(page.locator(f"#tick-box-{criteria[0].content_id}")).not_to_be_checked()
    expect(page.locator(f"#tick-box-{criteria[1].content_id}")).to_be_checked()


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 800}, {"width": 375, "height": 667}],
    ids=["desk", "phone"],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_level_url_opens_with_its_heading_and_duration_on_the_first_screen(
    make_page, viewport, scheme
):
    page = make_page(viewport=viewport, color_scheme=scheme)
    page.goto(MID)
    for selector in ("#level-title", ".level-duration"):
        box = page.locator(selector).bounding_box()
        assert box["y"] + box["height"] <= viewport["height"], (selector, box)
    expect(page.locator("h1")).to_have_count(1)
    assert axe_violations(page) == []


def test_the_theme_button_says_what_it_will_do(make_page):
    page = make_page(color_scheme="light")
    page.goto("/")
    page.get_by_role("button", name="Use dark theme").click()
    expect(page.get_by_role("button", name="Use light theme")).to_be_visible()


def test_a_printed_level_shows_the_note_and_a_printed_progress_page_hides_the_note_form(page):
    page.goto(MID)
    stage_id = stage("mid-level").content_id
    page.locator(f"#note-text-{stage_id}").fill("Printed with the level.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(f"#note-status-{stage_id}")).to_have_text("Your note is saved.")
    # The click also left the textarea, which queued a second save: let it finish first (the test
    # database, SQLite in memory, refuses two writers at once instead of waiting).
    page.wait_for_load_state("networkidle")
    page.reload()
    page.emulate_media(media="print")
    expect(page.locator(".note-print")).to_contain_text("Printed with the level.")
    expect(page.locator(".note-form")).to_be_hidden()
    page.goto("/progress/")
    expect(page.locator(".note-form").first).to_be_hidden()
    expect(page.locator(".note-print").first).to_contain_text("Printed with the level.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_code_block_on_a_phone_wraps_so_nothing_needs_scrolling(make_page, scheme):
    page = make_page(viewport={"width": 375, "height": 667}, color_scheme=scheme)
    page.goto("/guides/practice/")
    code = page.locator(".prose pre")
    expect(code).to_contain_text("tighten the spare and strike scoring")
    assert code.evaluate("pre => pre.scrollWidth <= pre.clientWidth")
    assert axe_violations(page) == []  # scrollable-region-focusable among them


def test_a_learner_sees_where_they_left_off_on_home_in_both_themes(make_page):
    light = make_page(color_scheme="light")
    light.goto(MID)
    tick(light, items("mid-level", m.ItemKind.PROJECT)[0])
    light.goto("/")
    expect(light.locator(".continue")).to_contain_text("0 of 2 ready · 1 of 1 project built")
    assert axe_violations(light) == []
    light.emulate_media(color_scheme="dark")
    light.reload()  # no colour transitions under way while axe measures contrast
    expect(light.locator(".continue")).to_be_visible()
    assert axe_violations(light) == []


def test_leaving_the_page_with_an_unsaved_note_asks_first(page):
    page.goto(MID)
    page.locator(f"#note-text-{stage('mid-level').content_id}").fill("Not saved yet.")
    # Answered in the handler itself, so no dialog is ever left open (Chromium can die closing a
    # context that still shows one), and the test waits for it to be asked.
    page.on("dialog", lambda dialog: dialog.dismiss())  # stay on the page
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)  # straight away, before the typing pause saves it
    assert asked.value.type == "beforeunload"
    assert not page.is_closed()  # the learner stayed
    page.close()  # now really, without asking
