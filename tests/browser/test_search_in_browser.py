"""Search in a real browser: live results as you type, and Enter for the full results page."""

import re

import pytest
from conftest import axe_violations
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_live_results_appear_as_you_type_and_enter_opens_the_results_page(page):
    page.goto("/search/")
    page.evaluate("window.__sameDocument = true")
    box = page.get_by_role("searchbox", name=re.compile("^Tracks, levels"))
    with page.expect_response(re.compile(r"/search/\?q=strangers")) as answer:
        box.press_sequentially("strangers", delay=20)
    assert answer.value.request.headers["hx-request"] == "true"
    expect(page.locator("#search-results mark").first).to_have_text(
        re.compile("strangers", re.IGNORECASE)
    )
    expect(page.locator("#search-status")).to_have_text(
        re.compile(r"^\d+ results? for “strangers”")
    )
    assert page.evaluate("window.__sameDocument === true")

    with page.expect_navigation():
        box.press("Enter")
    assert page.evaluate("window.__sameDocument === undefined")  # a real page load
    expect(page).to_have_url(re.compile(r"/search/\?q=strangers$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator(".result-group h2").first).to_be_visible()
    page.locator(".search-hits a").first.click()
    expect(page).to_have_url(re.compile(r"/tracks/.+#item-"))


def test_the_header_box_lists_live_suggestions_and_enter_opens_the_results_page(page):
    page.goto("/guides/")
    box = page.locator("#site-search")
    box.press_sequentially("statist", delay=20)
    expect(page.locator("#search-suggestions li").first).to_be_visible()
    expect(page.locator("#search-suggestions")).to_contain_text("All results for “statist”")
    with page.expect_navigation():
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=statist$"))
    expect(page.locator(".result-group").first).to_be_visible()


def test_the_header_box_is_a_combobox_the_keyboard_drives(page):
    """The WAI-ARIA combobox pattern: arrows move through the suggestions while focus stays in
    the box, Enter opens the active one, Escape closes the list and then clears the box."""
    page.goto("/guides/")
    box = page.get_by_role("combobox", name="Search the roadmap")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("stat", delay=20)
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", "search-suggestion-list")
    count = options.count()
    assert count >= 2

    box.press("ArrowDown")
    expect(box).to_be_focused()
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "search-suggestion-1")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    box.press("ArrowUp")  # from the first, up wraps to the last
    expect(options.nth(count - 1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")  # and down from the last back to the first
    expect(box).to_have_attribute("aria-activedescendant", "search-suggestion-1")

    box.press("Escape")
    expect(page.locator("#search-suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(box).to_have_value("stat")
    box.press("ArrowDown")  # opens the list again on its first suggestion
    expect(page.locator("#search-suggestions")).to_be_visible()
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")

    href = options.nth(0).get_attribute("href")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.endswith(href)

    page.goto("/guides/")
    box = page.get_by_role("combobox", name="Search the roadmap")
    box.press_sequentially("stat", delay=20)
    expect(options.first).to_be_visible()
    box.press("Escape")
    box.press("Escape")  # with the list closed, Escape clears the box
    expect(box).to_have_value("")


def test_search_without_javascript_is_a_plain_form(make_page):
    page = make_page(java_script_enabled=False)
    page.goto("/search/")
    page.get_by_role("searchbox", name=re.compile("^Tracks, levels")).fill("<script>")
    page.locator("#main").get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#search-status")).to_contain_text("“<script>”")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_and_suggestions_have_no_accessibility_violations(make_page, scheme):
    page = make_page(color_scheme=scheme, reduced_motion="reduce")
    page.goto("/search/?q=deploy")
    page.locator("#site-search").press_sequentially("stat", delay=20)
    expect(page.locator("#search-suggestions li").first).to_be_visible()
    page.locator("#site-search").press("ArrowDown")  # an active suggestion, as a keyboard sees it
    expect(page.locator('#search-suggestions [aria-selected="true"]')).to_have_count(1)
    assert axe_violations(page) == []
