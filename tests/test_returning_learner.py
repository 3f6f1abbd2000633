"""The returning learner through the URLs (site fixture tree): where they left off, the level a
track page opens, one Save per section, the "level done" line, previous/next, the compact head
of a level's own URL, what the shared page cache stores, and the query budget for a learner."""

import pytest
from django.test import Client
from django.urls import reverse
from webpages import count_queries, html_validate, multiply_content, needs_html_validate

from roadmap.catalog import models as m
from roadmap.progress.models import Learner, Tick

pytestmark = pytest.mark.usefixtures("site_content")


def stage(level: str, track: str = "web") -> m.Stage:
    return m.Stage.objects.get(track__slug=track, level__slug=level, retired=False)


def criteria(level: str, track: str = "web") -> list[str]:
    items = stage(level, track).items.filter(kind=m.ItemKind.READY_WHEN, retired=False)
    return list(items.order_by("order").values_list("content_id", flat=True))


def tick(client, item_id: str) -> None:
    client.post(reverse("progress:tick", args=[item_id]), {"done": "1"})


@pytest.fixture
def learner(client, without_page_cache):
    """A client whose learner ticked the first criterion of Web · Mid-level."""
    tick(client, criteria("mid-level")[0])
    return client


def test_home_and_the_track_page_open_where_the_learner_left_off(learner):
    home = learner.get("/").text
    assert "Where you left off" in home
    assert 'href="/tracks/web/mid-level/#level-title"' in home
    assert "1 of 2 ready" in home
    title = '<span class="visually-hidden">Web Development: </span>Mid-level</h3>'
    assert title in home  # the home page opens their track and level too
    track = learner.get("/tracks/web/").text
    assert '<span class="visually-hidden">Web Development: </span>Mid-level</h3>' in track


def test_opening_a_level_records_it_for_a_learner_only(learner, client):
    learner.get("/tracks/ops/beginner/")
    assert Learner.objects.get().last_stage_id == stage("beginner", "ops").content_id
    assert "Operations · Beginner" in learner.get("/").text.split("Where you left off")[1][:200]
    learner.get("/tracks/web/")  # the web track still opens the level ticked on it
    assert "Mid-level</h3>" in learner.get("/tracks/web/").text


def test_a_visitor_who_only_reads_gets_no_learner_and_no_continue_line(client, without_page_cache):
    response = client.get("/tracks/web/mid-level/")
    assert "Where you left off" not in client.get("/").text
    assert not response.cookies
    assert not Learner.objects.exists()
    assert "Beginner</h3>" in client.get("/tracks/web/").text  # the entry level


def test_one_save_per_section_keeps_every_box_ticked_and_unticked(client, without_page_cache):
    first, second = criteria("junior")[:2]
    url = reverse("progress:ticks", args=[stage("junior").content_id])
    items = f"{first} {second}"
    response = client.post(url, {"items": items, f"done-{first}": "1", f"done-{second}": "1"})
    assert response.status_code == 303
    assert set(Tick.objects.values_list("item_id", flat=True)) == {first, second}
    client.post(url, {"items": items, f"done-{second}": "1"})
    assert set(Tick.objects.values_list("item_id", flat=True)) == {second}


@pytest.mark.parametrize("items", ["", "nosuchitem", "pq2b6wex5t", "a b c"])
def test_a_section_save_naming_anything_else_saves_nothing_and_says_why(
    client, without_page_cache, items
):
    first = criteria("junior")[0]
    url = reverse("progress:ticks", args=[stage("junior").content_id])
    response = client.post(
        url, {"items": f"{first} {items}".strip() if items else "", f"done-{first}": "1"}
    )
    if not items:  # no box at all
        response = client.post(url, {})
    assert response.status_code == 400
    assert "Nothing was saved" in response.text
    assert not Tick.objects.exists()


def test_a_section_of_another_level_is_refused(client, without_page_cache):
    first = criteria("mid-level")[0]
    url = reverse("progress:ticks", args=[stage("junior").content_id])
    assert client.post(url, {"items": first, f"done-{first}": "1"}).status_code == 400
    assert not Tick.objects.exists()


def test_the_level_page_has_one_save_per_section_and_none_per_box(client, without_page_cache):
    html = client.get("/tracks/web/junior/").text
    assert html.count('class="tick-save"') == 2  # "ready when" and "build this"
    assert 'class="tick-section"' in html


def test_a_level_with_every_criterion_ticked_names_the_next_level_and_the_guide(
    client, without_page_cache
):
    for item_id in criteria("mid-level"):
        tick(client, item_id)
    html = client.get("/tracks/web/mid-level/").text
    assert "you're ready for Senior" in html
    assert 'href="/tracks/web/senior/">Next: Senior →</a>' in html
    assert 'href="/guides/levels/">Read “The level map”</a>' in html  # site.yaml names it


def test_every_level_links_its_previous_and_next_level(client, without_page_cache):
    html = client.get("/tracks/web/mid-level/").text
    assert 'rel="prev" href="/tracks/web/junior/">← Previous: Junior</a>' in html
    assert 'rel="next" href="/tracks/web/senior/">Next: Senior →</a>' in html
    first = client.get("/tracks/web/beginner/").text
    assert 'rel="prev"' not in first


def test_a_level_url_has_a_compact_head_not_the_hero(client, without_page_cache):
    level = client.get("/tracks/web/mid-level/").text
    assert "Pick your track" not in level
    assert 'class="page-head page-head-tracks page-head-compact"' in level
    assert "Pick your track" in client.get("/tracks/web/").text


def test_a_learners_level_page_is_the_shared_page_with_their_ticks_and_nothing_of_theirs_stored(
    client, settings, page_cache_on
):
    first, second = client.get("/tracks/web/mid-level/"), client.get("/tracks/web/mid-level/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    tick(client, criteria("mid-level")[0])
    assert settings.SESSION_COOKIE_NAME in client.cookies
    mine = client.get("/tracks/web/mid-level/")  # the shared part, with their slots filled in
    assert mine["X-Page-Cache"] == "hit" and "no-store" in mine["Cache-Control"]
    box = f'id="tick-box-{criteria("mid-level")[0]}" class="tick-box"'
    assert f'{box} name="done-{criteria("mid-level")[0]}" value="1" checked>' in mine.text
    stranger = Client().get("/tracks/web/mid-level/")
    assert stranger["X-Page-Cache"] == "hit" and " checked>" not in stranger.text
    assert "Where you left off" not in client.get("/tracks/web/mid-level/").text  # own level
    assert "Where you left off" in client.get("/").text


def test_a_learners_pages_keep_their_query_count_at_ten_times_the_content(learner):
    pages = ["/", "/tracks/web/", "/tracks/web/mid-level/", "/tracks/ops/"]
    learner.get("/")  # the first page of a visit also notes the visit (once a minute)
    before = {url: count_queries(learner, url)[0] for url in pages}
    assert all(before[url] <= 8 for url in pages), before
    multiply_content(10)
    assert {url: count_queries(learner, url)[0] for url in pages} == before


def test_from_the_page_cache_a_learners_pages_take_a_few_queries_whatever_the_content(
    client, page_cache_on
):
    from roadmap.ops.content_version import content_version_bump

    tick(client, criteria("mid-level")[0])
    pages = ["/", "/tracks/web/", "/tracks/web/mid-level/", "/tracks/ops/"]

    def counts() -> dict[str, int]:
        for url in pages:  # the shared parts rendered and stored
            client.get(url)
        return {url: count_queries(client, url)[0] for url in pages}

    before = counts()
    # the session; their ticks, notes and last level; without Redis, the content version's row
    # for each cache lookup (with Redis: none, and the session is there too)
    assert all(n <= 5 for n in before.values()), before
    assert "1 of 2 ready" in client.get("/").text  # and the page is theirs
    multiply_content(10)
    content_version_bump()  # the pages above are retired and rendered again at 10x
    assert counts() == before


def test_progress_saved_before_levels_were_recorded_continues_at_the_furthest_ticked_level(
    learner,
):
    tick(learner, criteria("junior")[0])
    Learner.objects.update(last_stage_id="")  # as a learner from before the field existed
    assert "Web Development · Mid-level" in learner.get("/").text
    hidden = stage("mid-level")
    hidden.published = False
    hidden.save()  # as the admin does: the next request reads the catalogue afresh
    assert "Web Development · Junior" in learner.get("/").text  # a hidden level is skipped


@needs_html_validate
def test_a_learners_pages_are_valid_html(client, without_page_cache, tmp_path):
    for item_id in criteria("mid-level"):  # "level done" and "where you left off" on show
        tick(client, item_id)
    pages = ["/", "/tracks/web/", "/tracks/web/mid-level/", "/tracks/ops/", "/progress/"]
    for n, url in enumerate(pages):
        (tmp_path / f"page{n}.html").write_text(client.get(url).text)
    html_validate(tmp_path)
