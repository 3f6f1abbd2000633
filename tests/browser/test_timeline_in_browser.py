"""The timeline model's figures in a real browser: the chart without JavaScript, and the JSON-LD
data block, which the strict Content-Security-Policy must not report (the `page` fixture fails
the test on any console error, which is where Chromium reports CSP violations)."""

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_json_ld_is_read_as_data_with_no_policy_violation(page):
    response = page.goto("/tracks/web/junior/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    blocks = page.locator('script[type="application/ld+json"]')
    expect(blocks).to_have_count(1)
    graph = json.loads(blocks.first.text_content())["@graph"]
    assert [node["@type"] for node in graph] == ["Course", "Course"]
    assert graph[1]["educationalLevel"] == "Junior"
    page.goto("/tracks/data/")  # a track page carries it too
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)


def test_the_chart_and_its_table_show_the_computed_totals_without_javascript(make_page):
    page = make_page(java_script_enabled=False)
    page.goto("/timelines/")
    chart = page.get_by_role("img", name="The road to each track's title, part by part")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="The chart's figures")
    expect(table.get_by_role("row", name="Web Development")).to_contain_text(
        "2.6–4.2 years, Beginner to Senior"
    )
    expect(page.get_by_role("link", name="Plan Web Development at your pace")).to_have_attribute(
        "href", "/plan/?track=web"
    )
