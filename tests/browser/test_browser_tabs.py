"""Track and level tabs in a real browser: htmx swaps, the URL, history, focus and the keyboard."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def mark_document(page) -> None:
    """A flag on `window` that only a full page load would wipe out."""
    page.evaluate("window.__sameDocument = true")


def still_same_document(page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def track_tab(page, name):
    return page.locator('[aria-label="Tracks"] [role="tab"]', has_text=name)


def level_tab(page, name):
    return page.locator('#track-panel [role="tab"]', has_text=re.compile(f"^{name}"))


def expect_open(page, track: str, level: str) -> None:
    expect(page.locator("#track-title")).to_have_text(track)
    expect(page.locator("#level-title")).to_have_text(f"{track}: {level}")
    expect(track_tab(page, track)).to_have_attribute("aria-selected", "true")
    expect(level_tab(page, level)).to_have_attribute("aria-selected", "true")


def test_a_track_tab_swaps_the_panel_without_a_page_load_and_changes_the_url(page):
    documents = []
    page.on("request", lambda r: r.resource_type == "document" and documents.append(r.url))
    page.goto("/")
    expect_open(page, "Web Development", "Beginner")
    mark_document(page)

    with page.expect_response(re.compile(r"/tracks/ops/$")) as answer:
        track_tab(page, "Operations").click()
    assert answer.value.request.headers["hx-request"] == "true"
    expect(page).to_have_url(re.compile(r"/tracks/ops/$"))
    expect_open(page, "Operations", "Beginner")
    expect(page).to_have_title("Operations · Beginner — Roadmap")
    expect(page.locator("#track-title")).to_be_focused()
    expect(track_tab(page, "Web Development")).to_have_attribute("aria-selected", "false")
    expect(page.locator("h1")).to_have_text(re.compile("Fixture Site"))  # the rest stays
    assert still_same_document(page)
    assert len(documents) == 1


def test_a_level_tab_swaps_only_the_level_panel(page):
    page.goto("/tracks/ops/")
    mark_document(page)
    track_heading = page.locator("#track-title").element_handle()

    level_tab(page, "Junior").click()
    expect(page).to_have_url(re.compile(r"/tracks/ops/junior/$"))
    expect_open(page, "Operations", "Junior")
    expect(page.locator("#level-title")).to_be_focused()
    expect(page.locator("#level-panel")).to_contain_text("Ops junior skill one")
    assert still_same_document(page)
    assert track_heading.evaluate("h => h.isConnected")  # the track panel was not replaced


def test_back_and_forward_restore_the_right_track_and_level_also_after_a_refresh(page):
    page.goto("/")
    track_tab(page, "Operations").click()
    expect_open(page, "Operations", "Beginner")
    level_tab(page, "Junior").click()
    expect_open(page, "Operations", "Junior")
    track_tab(page, "Data Analysis").click()
    expect_open(page, "Data Analysis", "Mid-level")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/tracks/ops/junior/$"))
    expect_open(page, "Operations", "Junior")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/tracks/ops/$"))
    expect_open(page, "Operations", "Beginner")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))
    expect_open(page, "Web Development", "Beginner")
    page.go_forward()
    expect_open(page, "Operations", "Beginner")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/tracks/ops/junior/$"))
    expect_open(page, "Operations", "Junior")

    page.reload()
    expect_open(page, "Operations", "Junior")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/tracks/ops/$"))
    expect_open(page, "Operations", "Beginner")
    page.go_forward()
    expect_open(page, "Operations", "Junior")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/tracks/data/$"))
    expect_open(page, "Data Analysis", "Mid-level")


def test_back_works_when_the_browser_has_no_snapshot_of_the_page(page):
    """A history cache miss asks the server, which must answer with the full page."""
    page.goto("/tracks/web/")
    level_tab(page, "Senior").click()
    expect_open(page, "Web Development", "Senior")
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")  # e.g. evicted: it is full
    with page.expect_response(re.compile(r"/tracks/web/$")) as answer:
        page.go_back()
    assert answer.value.request.headers.get("hx-history-restore-request") == "true"
    expect_open(page, "Web Development", "Beginner")
    expect(page.locator("h1")).to_have_count(1)


def test_a_deep_link_opens_that_track_and_level(page):
    page.goto("/tracks/data/senior/")
    expect_open(page, "Data Analysis", "Senior")
    expect(page).to_have_title("Data Analysis · Senior — Roadmap")
    expect(level_tab(page, "Mid-level")).to_have_attribute("aria-selected", "false")


def test_the_tab_lists_follow_the_aria_tabs_pattern(page):
    page.goto("/tracks/web/senior/")
    for label, panel in (
        ("Tracks", "track-panel"),
        ("Levels of Web Development", "level-panel"),
    ):
        tablist = page.get_by_role("tablist", name=label)
        tabs = tablist.get_by_role("tab")
        expect(tabs.first).to_be_visible()
        for n in range(tabs.count()):
            expect(tabs.nth(n)).to_have_attribute("aria-controls", panel)
        expect(tablist.locator('[role="tab"][tabindex="0"]')).to_have_count(1)
        expect(tablist.locator('[role="tab"][aria-selected="true"]')).to_have_count(1)
        selected_id = tablist.locator('[aria-selected="true"]').get_attribute("id")
        expect(page.locator(f"#{panel}")).to_have_attribute("role", "tabpanel")
        expect(page.locator(f"#{panel}")).to_have_attribute("aria-labelledby", selected_id)


def test_tabs_work_with_the_keyboard_alone(page):
    page.goto("/tracks/web/")
    mark_document(page)
    for _ in range(30):  # Tab through the page until the selected track tab has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role')") == "tab":
            break
    web = track_tab(page, "Web Development")
    expect(web).to_be_focused()
    outline = web.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # focus is visible

    page.keyboard.press("ArrowRight")
    expect(track_tab(page, "Data Analysis")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/tracks/web/$"))  # focus moves, nothing opens
    page.keyboard.press("End")
    expect(track_tab(page, "Operations")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(web).to_be_focused()  # wraps around
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(track_tab(page, "Data Analysis")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tracks/data/$"))
    expect(page.locator("#track-title")).to_be_focused()
    expect_open(page, "Data Analysis", "Mid-level")

    for _ in range(10):  # onward to the level tabs: the selected one takes focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#track-panel [role=tablist]') !== null"):
            break
    expect(level_tab(page, "Mid-level")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(level_tab(page, "Senior")).to_be_focused()
    page.keyboard.press(" ")
    expect(page).to_have_url(re.compile(r"/tracks/data/senior/$"))
    expect(page.locator("#level-title")).to_be_focused()
    expect_open(page, "Data Analysis", "Senior")
    page.keyboard.press("Shift+Tab")
    expect(level_tab(page, "Senior")).to_be_focused()  # the roving tabindex followed
    assert still_same_document(page)


def test_a_panel_that_cannot_be_fetched_falls_back_to_a_normal_page_load(page):
    def offline_for_htmx(route):
        return route.abort() if route.request.headers.get("hx-request") else route.continue_()

    page.goto("/")
    page.route(re.compile(r"/tracks/ops/$"), offline_for_htmx)
    track_tab(page, "Operations").click()
    expect(page).to_have_url(re.compile(r"/tracks/ops/$"))
    expect_open(page, "Operations", "Beginner")
    expect(page.locator("h1")).to_have_text("Pick your track")
    page.problems[:] = [p for p in page.problems if "htmx:" not in p]  # htmx logs the failure
