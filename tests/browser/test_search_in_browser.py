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
    assert axe_violations(page) == []
