"""/plan/ in a real browser: htmx updates the result as the hours change, the plain form works
without JavaScript, a learner's ticks shorten what is left, it prints as the week's checklist,
and axe finds nothing in either theme."""

import re

import pytest
from conftest import axe_violations
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BEGINNER_READY = ["ifwi9xcbe2", "cnphmjuad8"]


def beginner_row(page):
    return page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name="Beginner"))


def choose(page, hours: str) -> None:
    page.get_by_label("Track", exact=True).select_option(label="Web Development")
    page.get_by_label("Starting from", exact=True).select_option(label="Beginner")
    page.get_by_label("Hours a week", exact=True).fill(hours)


def test_changing_the_hours_updates_the_plan_in_place(page):
    page.goto("/plan/")
    page.evaluate("window.__sameDocument = true")
    choose(page, "15")
    expect(beginner_row(page)).to_contain_text("4–8 weeks")
    expect(page).to_have_url(re.compile(r"[?&]hours=15"))

    page.get_by_label("Hours a week", exact=True).fill("30")  # no submit: typing is enough
    expect(beginner_row(page)).to_contain_text("2–4 weeks")
    expect(page).to_have_url(re.compile(r"[?&]hours=30"))
    expect(page.get_by_role("heading", name="Web Development at 30 hours a week")).to_be_visible()
    expect(page.locator(".plan-checklist li")).to_have_count(1)
    expect(page.get_by_role("status")).to_contain_text("Web Development at 30 hours a week.")
    assert page.evaluate("window.__sameDocument === true")  # htmx swapped the result

    page.get_by_label("Hours a week", exact=True).fill("61")
    # the browser sends it anyway, and the server says what is wrong
    expect(page.get_by_role("alert")).to_contain_text("whole number from 1 to 60")
    assert page.evaluate("window.__sameDocument === true")

    page.go_back()
    expect(beginner_row(page)).to_contain_text("2–4 weeks")


def test_the_plan_works_without_javascript(make_page):
    page = make_page(java_script_enabled=False)
    page.goto("/plan/")
    choose(page, "30")
    page.get_by_role("button", name="Show my plan").click()
    expect(page).to_have_url(re.compile(r"/plan/\?track=web&level=beginner&hours=30$"))
    expect(beginner_row(page)).to_contain_text("2–4 weeks")
    with page.expect_download() as download:
        page.get_by_role("link", name="add it to your calendar (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")


def test_a_learners_ticks_shorten_the_plan_and_their_pace_is_remembered(page):
    page.goto("/tracks/web/beginner/")
    for item_id in BEGINNER_READY:
        with page.expect_response(re.compile(f"/progress/items/{item_id}/$")):
            page.locator(f"#tick-box-{item_id}").check()
    page.goto("/plan/?track=web&level=beginner&hours=10")
    expect(beginner_row(page)).to_contain_text("1 of 3")
    expect(page.locator(".plan-checklist li").first).to_contain_text("Web beginner project")
    page.goto("/plan/?track=web")
    expect(page.get_by_label("Hours a week", exact=True)).to_have_value("10")


def test_printed_the_page_is_the_weeks_checklist(page):
    page.goto("/plan/?track=web&level=beginner&hours=60")
    page.emulate_media(media="print")
    expect(page.locator(".plan-checklist li")).to_have_count(2)
    expect(page.locator(".plan-checklist")).to_be_visible()
    for hidden in [".plan-estimate", ".plan-form", ".site-header", ".plan-remember"]:
        expect(page.locator(hidden)).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_plan_has_no_accessibility_violations(make_page, scheme):
    page = make_page(color_scheme=scheme, reduced_motion="reduce")
    page.goto("/plan/")
    assert axe_violations(page) == []
    page.goto("/plan/?track=web&level=beginner&hours=20")
    assert axe_violations(page) == []
    page.goto("/plan/?track=web&hours=abc")
    assert axe_violations(page) == []
