"""Site-wide guards over every public page: it answers, it has one <h1>, it is valid HTML, it obeys
the Content-Security-Policy, it can be cached for everyone, and it stays within its query budget
however much content there is."""

import re

import pytest
from django.urls import resolve, reverse
from webpages import (
    Outline,
    cold_queries,
    count_queries,
    html_validate,
    multiply_content,
    needs_html_validate,
    public_urls,
)

pytestmark = pytest.mark.usefixtures("site_content", "without_page_cache")

QUERY_BUDGET = 8


def test_every_public_url_answers_with_exactly_one_h1(client):
    urls = public_urls()
    assert len(urls) == 5 + 3 + 10 + 4 + 2  # fixed pages, tracks, levels, guides, articles
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(Outline(response.text).h1s()) == 1, url


def test_headings_never_skip_a_level(client):
    for url in public_urls():
        levels = [level for level, _ in Outline(client.get(url).text).headings]
        assert levels[0] == 1, url
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{url}: h{before} followed by h{after}"


def test_no_page_has_inline_script_style_or_event_handlers(client):
    """The production Content-Security-Policy allows scripts and styles from our files only. A
    JSON-LD data block (`type="application/ld+json"`) is no script: browsers never run it."""
    for url in public_urls():
        html = client.get(url).text
        executable = r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>"
        assert not re.search(executable, html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "javascript:" not in html, url


def test_every_page_has_a_title_description_canonical_url_and_open_graph_tags(client):
    titles = set()
    for url in public_urls():
        page = Outline(client.get(url).text)
        (canonical,) = page.find("link", rel="canonical")
        assert canonical["href"] == f"http://testserver{url}"
        (description,) = page.find("meta", name="description")
        assert len(description["content"]) > 40, url
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert page.find("meta", property=prop), f"{url}: {prop}"
        title = re.search(r"<title>(.*?)</title>", client.get(url).text).group(1)
        titles.add(title)
    assert len(titles) == len(public_urls()) - 3  # a track page and its entry level share one


def test_pages_are_the_same_for_everyone_so_they_can_be_cached(client):
    """Every public page opts in to the page cache; a learner's part comes from personal slots
    (hence `Vary: Cookie`), never from the session while the shared part renders."""
    for url in public_urls():
        assert getattr(resolve(url).func, "shared_page", None), f"{url}: no @shared_page"
        response = client.get(url)
        assert not response.cookies, url
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        assert vary <= {"hx-request", "cookie"}, url


def _budget_pages() -> list[tuple[str, dict]]:
    htmx = {"HX-Request": "true"}
    return [
        (reverse("home"), {}),
        (reverse("track", args=["web"]), {}),
        (reverse("level", args=["web", "junior"]), {}),
        (reverse("track", args=["web"]), htmx),
        (reverse("level", args=["web", "junior"]), htmx),
        (reverse("timelines"), {}),
        (reverse("courses"), {}),
        (reverse("courses") + "?track=web&cost=free", {}),
        (reverse("reading"), {}),
        (reverse("guides"), {}),
        (reverse("guide", args=["levels"]), {}),
        (reverse("article", args=["learning-on-your-own"]), {}),
        (reverse("sitemap"), {}),
        (reverse("changes:list"), {}),
        (reverse("changes:feed"), {}),
        (reverse("changes:track_feed", args=["web"]), {}),
    ]


def test_every_page_type_stays_within_the_query_budget_with_ten_times_the_content(client):
    before = {}
    for url, headers in _budget_pages():
        before[url, bool(headers)], _ = count_queries(client, url, **headers)
        assert before[url, bool(headers)] <= QUERY_BUDGET, (url, headers)
    _, small = count_queries(client, reverse("level", args=["web", "junior"]))

    multiply_content(10)

    _, large = count_queries(client, reverse("level", args=["web", "junior"]))
    assert large.text.count("<li id=") == 10 * small.text.count("<li id=")  # every list is 10×
    assert large.text.count('class="badge') == 10 * small.text.count('class="badge')
    # ten times the track tabs; the five level tabs of this track stay five
    assert large.text.count('id="tab-') == 10 * small.text.count('id="tab-') - 9 * 5
    for url, headers in _budget_pages():
        after, response = count_queries(client, url, **headers)
        assert after == before[url, bool(headers)], (url, headers, before[url, bool(headers)])


def test_reading_the_catalogue_afresh_costs_the_same_with_ten_times_the_content(client):
    """Right after a content change each page reads the catalogue again (then keeps it for the
    version): a fixed number of queries, none per track, level or item. One more than the budget
    at most: without a shared cache, reading the content version is a query of its own."""
    before = {}
    for url, headers in _budget_pages():
        before[url, bool(headers)], _ = cold_queries(client, url, **headers)
        assert before[url, bool(headers)] <= QUERY_BUDGET + 1, (url, headers)

    multiply_content(10)

    for url, headers in _budget_pages():
        after, _ = cold_queries(client, url, **headers)
        assert after == before[url, bool(headers)], (url, headers, before[url, bool(headers)])


@needs_html_validate
def test_every_page_type_is_valid_html(client, tmp_path):
    client.raise_request_exception = False
    pages = [*public_urls(), "/tracks/no-such-track/", "/tracks/data/beginner/", "/no/such/page/"]
    for n, url in enumerate(pages):
        (tmp_path / f"page{n:03}.html").write_text(client.get(url).text)
    html_validate(tmp_path)


def _learner_pages() -> list[tuple[str, dict]]:
    htmx = {"HX-Request": "true"}
    return [
        (reverse("progress:page"), {}),
        (reverse("home"), {}),
        (reverse("track", args=["web"]), {}),
        (reverse("level", args=["web", "junior"]), {}),
        (reverse("track", args=["web"]), htmx),
        (reverse("level", args=["web", "junior"]), htmx),
    ]


def test_a_learners_pages_cost_the_same_with_ten_times_the_content(client):
    """/progress/ within the budget; the track and level pages a constant few queries above the
    anonymous ones (the session, the counts, the level's ticks and note, the news)."""
    from roadmap.catalog.models import ItemKind, StageItem

    items = StageItem.objects.filter(
        stage__track__slug="web", kind__in=[ItemKind.READY_WHEN, ItemKind.PROJECT]
    )
    for item in items[:3]:
        client.post(reverse("progress:tick", args=[item.content_id]), {"done": "1"})
    client.post(reverse("progress:note", args=[items[0].stage.content_id]), {"text": "Noted."})
    for url, headers in _learner_pages():
        client.get(url, headers=headers)  # the first page of a visit also notes the visit
    before = {}
    for url, headers in _learner_pages():
        before[url, bool(headers)], _ = count_queries(client, url, **headers)
    assert before[reverse("progress:page"), False] <= QUERY_BUDGET

    multiply_content(10)

    for url, headers in _learner_pages():
        after, _ = count_queries(client, url, **headers)
        assert after == before[url, bool(headers)], (url, headers, before[url, bool(headers)])
