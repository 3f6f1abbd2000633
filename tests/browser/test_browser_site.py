"""The whole site in a real browser: without JavaScript, on a phone, in print, dark, accessible."""

import json
import re
from urllib.parse import urlsplit

import pytest
from conftest import AXE, require
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGE_TYPES = {  # one address per kind of page
    "home": "/",
    "track": "/tracks/ops/",
    "level": "/tracks/data/senior/",
    "guide": "/guides/levels/",
    "guides": "/guides/",
    "reading": "/reading/",
    "courses": "/courses/",
    "courses filtered": "/courses/?track=web&cost=free",
    "timelines": "/timelines/",
    "article": "/articles/learning-on-your-own/",
    "not found": "/tracks/no-such-track/",
    "level the track lacks": "/tracks/data/beginner/",
}


def crawl(page, start: str = "/") -> dict[str, int]:
    """Every page of the site reachable by links from `start`, with its status."""
    seen, queue = {}, [start]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = page.goto(path)
        seen[path] = response.status
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # a feed or a download: it answered, and it has no links to follow
        assert page.locator("h1").count() == 1, path
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)"
        ):
            url = urlsplit(href)
            if url.netloc == urlsplit(page.url).netloc and not url.path.startswith("/admin"):
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return seen


def test_the_whole_site_works_without_javascript(make_page):
    page = make_page(java_script_enabled=False)
    statuses = crawl(page)
    assert all(status == 200 for status in statuses.values()), statuses
    pages = [p for p in statuses if p.endswith("/")]  # not the feeds
    assert len([p for p in pages if p.startswith("/tracks/")]) == 3 + 10  # tracks, levels
    assert len([p for p in pages if p.startswith("/guides/")]) == 1 + 4  # index, guides

    page.goto("/")
    expect(page.locator("[data-theme-toggle]")).to_be_hidden()  # no dead controls
    page.get_by_role("link", name=re.compile("^Operations")).click()
    expect(page).to_have_url(re.compile(r"/tracks/ops/$"))
    expect(page.locator("#track-title")).to_have_text("Operations")
    page.get_by_role("link", name=re.compile("^Junior")).click()
    expect(page).to_have_url(re.compile(r"/tracks/ops/junior/$"))
    expect(page.locator("#level-title")).to_have_text("Operations: Junior")

    page.goto("/courses/")
    page.get_by_label("Track").select_option("data")
    page.get_by_label("Price").select_option("free")
    page.get_by_role("button", name="Show courses").click()
    expect(page).to_have_url(re.compile(r"/courses/\?track=data&level=&kind=&cost=free$"))
    expect(page.locator("#results-heading")).to_contain_text("free courses for Data Analysis")


def test_the_course_filter_swaps_the_results_with_javascript(page):
    page.goto("/courses/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Price").select_option("paid")
    page.get_by_role("button", name="Show courses").click()
    expect(page).to_have_url(re.compile(r"/courses/\?track=&level=&kind=&cost=paid$"))
    expect(page.locator("#results-heading")).to_contain_text("paid courses")
    expect(page.locator("#results-heading")).to_be_focused()
    assert page.evaluate("window.__sameDocument === true")
    expect(page.locator("#course-results .badge-free")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_accessibility_violations_on_any_page_type(make_page, scheme):
    require(AXE, "axe-core", "npm ci --no-audit --no-fund")
    # Reduced motion: colours are checked where they settle, not halfway through a transition.
    page = make_page(
        color_scheme=scheme, reduced_motion="reduce", viewport={"width": 1280, "height": 900}
    )
    axe = AXE.read_text()
    results = {}
    for name, path in PAGE_TYPES.items():
        page.goto(path)
        results[name] = run_axe(page, axe)
    page.goto("/")  # and after htmx has swapped a track and a level in
    page.locator("#tab-data").click()
    expect(page.locator("#track-title")).to_have_text("Data Analysis")
    page.locator("#tab-data-expert").click()
    expect(page.locator("#level-title")).to_contain_text("Expert")
    results["home after two tab switches"] = run_axe(page, axe)
    problems = {name: found for name, found in results.items() if found}
    assert not problems, json.dumps(problems, indent=2)


def run_axe(page, source: str) -> list[dict]:
    page.evaluate(source)  # through the DevTools protocol, which the page's CSP does not govern
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"rule": v["id"], "impact": v["impact"], "where": [n["target"] for n in v["nodes"][:5]]}
        for v in found
    ]


@pytest.mark.parametrize("path", ["/", "/tracks/data/senior/", "/guides/levels/", "/courses/"])
def test_pages_fit_a_360px_phone_without_sideways_scrolling(make_page, path):
    page = make_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16


def test_the_theme_follows_the_system_and_a_chosen_one_is_remembered(make_page):
    page = make_page(color_scheme="light")
    page.goto("/")
    toggle = page.locator("[data-theme-toggle]")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    expect(toggle).to_have_accessible_name("Use dark theme")  # what pressing it does
    toggle.click()
    expect(toggle).to_have_accessible_name("Use light theme")
    dark = page.evaluate(background)
    assert dark != light
    page.goto("/guides/")  # another page, and a reload: still dark
    assert page.evaluate(background) == dark
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.get_by_role("button", name="Use light theme").click()  # back to what the system says
    assert page.evaluate(background) == light
    assert page.evaluate("localStorage.getItem('theme')") is None

    night = make_page(color_scheme="dark")
    night.goto("/")
    expect(night.get_by_role("button", name="Use light theme")).to_be_visible()
    assert night.evaluate(background) == dark


def test_a_level_prints_as_a_checklist_with_all_its_text(page):
    page.goto("/tracks/web/junior/")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".tabs", ".edit-link", ".skip-link"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("#level-title")).to_be_visible()
    for section in page.locator(".level-sections > section").all():
        expect(section).to_be_visible()
    box = "e => getComputedStyle(e, '::before').content"
    for item in page.locator(".checklist li").all():
        assert item.evaluate(box) == '"☐"'
    link = page.locator(".resource-title a").first
    assert "http" in link.evaluate("e => getComputedStyle(e, '::after').content")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_reduced_motion_turns_transitions_off(make_page):
    page = make_page(reduced_motion="reduce")
    page.goto("/")
    tab = page.locator("#tab-ops")
    assert tab.evaluate("e => getComputedStyle(e).transitionDuration") == "0s"
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    moving = make_page(reduced_motion="no-preference")
    moving.goto("/")
    assert (
        moving.locator("#tab-ops").evaluate("e => getComputedStyle(e).transitionDuration") != "0s"
    )


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_main_content(page):
    page.goto("/tracks/ops/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused
