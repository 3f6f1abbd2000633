"""Site-wide guards for /plan/: one <h1>, headings in order, labels for every field, nothing the
Content-Security-Policy forbids, valid HTML, and the same number of queries however much content
there is (bounded work per request)."""

import re

import pytest
from django.test import Client
from webpages import Outline, count_queries, html_validate, multiply_content, needs_html_validate

pytestmark = pytest.mark.usefixtures("site_content", "without_page_cache")

URLS = [
    "/plan/",
    "/plan/?track=web&hours=10",
    "/plan/?track=web&level=expert&hours=60",
    "/plan/?track=data&level=beginner&hours=10",
    "/plan/?track=web&hours=abc&hours=3",
]


@pytest.fixture
def learner():
    """Another visitor, with two ticks, so the plan is theirs."""
    browser = Client(headers={"Sec-Fetch-Site": "same-origin"})
    for item_id in ["ifwi9xcbe2", "cnphmjuad8"]:
        assert browser.post(f"/progress/items/{item_id}/", {"done": "1"}).status_code == 303
    return browser


def pages(client) -> dict[str, str]:
    return {url: client.get(url).text for url in URLS}


@pytest.mark.parametrize("who", ["visitor", "learner"])
def test_each_plan_page_has_one_h1_headings_in_order_and_a_label_for_every_field(
    client, learner, who
):
    visitor = learner if who == "learner" else client
    for url, html in pages(visitor).items():
        outline = Outline(html)
        levels = [level for level, _ in outline.headings]
        assert levels.count(1) == 1, url
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{url}: h{before} then h{after}"
        labelled = {label["for"] for label in outline.find("label")}
        fields = outline.find("input") + outline.find("select")
        for field in fields:
            if field.get("type") != "hidden" and field.get("name") != "q":  # q: the search box
                assert field["id"] in labelled, (url, field)


def test_plan_pages_have_no_inline_script_style_or_event_handlers(learner):
    for url, html in pages(learner).items():
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_a_plan_with_values_is_not_indexed_and_the_empty_form_is(client):
    assert '<meta name="robots" content="noindex">' in client.get(URLS[1]).text
    assert "noindex" not in client.get("/plan/").text


def test_the_plan_makes_the_same_number_of_queries_with_ten_times_the_content(client, learner):
    urls = [URLS[1], "/plan/week.ics?track=web&hours=60", "/plan/week.md?track=web&hours=60"]
    before = {url: count_queries(client, url)[0] for url in urls}
    learner.get(URLS[1])  # remembers their pace: the requests measured only read
    mine = count_queries(learner, URLS[1])[0]
    multiply_content(10)
    for url in urls:
        assert count_queries(client, url)[0] == before[url], url
    assert count_queries(learner, URLS[1])[0] == mine


@needs_html_validate
def test_plan_pages_are_valid_html(client, learner, tmp_path):
    for n, html in enumerate([*pages(client).values(), *pages(learner).values()]):
        (tmp_path / f"page{n:03}.html").write_text(html)
    title, partial = client.get(URLS[1], headers={"HX-Request": "true"}).text.split("\n", 1)
    page = f'<!doctype html><html lang="en"><head>{title}</head><body>{partial}</body></html>'
    (tmp_path / "partial.html").write_text(page)
    html_validate(tmp_path)


def test_no_main_navigation_link_claims_to_be_this_page(client):
    assert 'aria-current="page"' not in client.get("/plan/").text
