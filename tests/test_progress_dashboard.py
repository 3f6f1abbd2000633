"""/progress/ as a dashboard: grouped by track and level in the site's order, criteria and projects
labelled, bars, where the learner left off first, plurals; and after a reset no page of theirs
can come back from a cache."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap.progress.models import Tick

pytestmark = pytest.mark.django_db

JUNIOR, MID = "qgn88sqegp", "wo4tn3iile"
DEPLOYED, EXPLAIN = "giu85975il", "kwku8s7wac"  # web · junior criteria, in page order
PORTFOLIO, TODO_APP = "yo4tyfi5dw", "vuuj6czlho"  # web · junior projects, in page order
SHIPPED = "k0fp5kgpzi"  # web · mid-level criterion
DATA_CRITERION = "kvd1usrrcj"


@pytest.fixture(autouse=True)
def catalog(valid_loaded, without_page_cache):
    return valid_loaded


def tick(client, *item_ids: str) -> None:
    for item_id in item_ids:
        client.post(reverse("progress:tick", args=[item_id]), {"done": "1"})


def page(client) -> str:
    return client.get(reverse("progress:page")).text


def positions(html: str, *needles: str) -> list[int]:
    found = [html.find(needle) for needle in needles]
    assert -1 not in found, [n for n, f in zip(needles, found, strict=True) if f == -1]
    return found


def test_tracks_levels_and_items_come_in_the_sites_order_whatever_was_ticked_first(client):
    tick(client, DATA_CRITERION, TODO_APP, SHIPPED, EXPLAIN)
    html = page(client)
    tracks = positions(html, 'id="progress-web"', 'id="progress-data"')
    levels = positions(html, f'id="progress-{JUNIOR}"', f'id="progress-{MID}"')
    items = positions(
        html, f'id="item-{DEPLOYED}"', f'id="item-{EXPLAIN}"', f'id="item-{PORTFOLIO}"'
    )
    assert tracks == sorted(tracks) and levels == sorted(levels) and items == sorted(items)
    assert _without_tokens(page(client)) == _without_tokens(html)  # the same after a reload


def _without_tokens(html: str) -> str:
    """The page without its CSRF tokens, which are masked afresh on every answer."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_criteria_and_projects_are_listed_under_their_own_labels(client):
    tick(client, DEPLOYED)
    html = page(client)
    section = html[html.find(f'id="progress-{JUNIOR}"') :]
    criteria, projects = positions(
        section, '<h4 class="progress-kind">Ready for the next level when</h4>', "Projects</h4>"
    )
    assert criteria < section.find(f'id="item-{DEPLOYED}"') < projects
    assert projects < section.find(f'id="item-{PORTFOLIO}"')


def test_each_level_shows_its_bars_with_their_numbers_in_words(client):
    tick(client, DEPLOYED, PORTFOLIO, TODO_APP)
    html = page(client)
    assert (
        f'<label for="bar-ready-{JUNIOR}">Ready for the next level: 1 of 2 criteria</label>'
        f'<progress id="bar-ready-{JUNIOR}" max="2" value="1">' in html
    )
    assert f'<progress id="bar-projects-{JUNIOR}" max="2" value="2">' in html


def test_the_level_last_worked_on_comes_first_with_a_continue_link(client):
    tick(client, SHIPPED, DEPLOYED)
    Tick.objects.filter(item_id=DEPLOYED).update(ticked_at=timezone.now() - timedelta(days=3))
    html = page(client)
    heading = '<h2 id="current-heading">Where you left off: Web Development · Mid-level</h2>'
    current, first_track = positions(html, heading, 'id="progress-web"')
    assert current < first_track
    assert '<a class="button" href="/tracks/web/mid-level/">Continue with Mid-level' in html


def test_counts_say_one_in_the_singular(client):
    tick(client, DATA_CRITERION)
    client.post(reverse("progress:note", args=[JUNIOR]), {"text": "Just one."})
    html = page(client)
    assert "Ready for the next level: 1 of 1 criterion</label>" in html
    assert "Projects built: 0 of 1 project</label>" in html
    assert "(1 tick and 1 note)" in html
    assert "criterions" not in html and "1 notes" not in html and "1 ticks" not in html


def test_reset_is_a_destructive_action_set_apart_from_import(client):
    tick(client, DEPLOYED)
    html = page(client)
    assert '<button type="submit" class="button">Import</button>' in html
    assert '<button type="submit" class="button button-danger">Delete all my progress</button>' in (
        html
    )
    assert 'class="block danger-zone"' in html
    assert "It cannot be undone" in html


def test_pages_that_show_progress_are_never_stored_so_back_after_a_reset_shows_the_truth(client):
    before = {url: client.get(url) for url in ("/", "/tracks/web/", "/tracks/web/junior/")}
    for response in before.values():
        assert "no-store" not in response.get("Cache-Control", "")  # nothing personal yet
    tick(client, DEPLOYED)
    personal = [
        client.get("/"),
        client.get("/tracks/web/"),
        client.get("/tracks/web/junior/"),
        client.get("/tracks/web/junior/", headers={"HX-Request": "true"}),
        client.get(reverse("progress:page")),
    ]
    for response in personal:
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control
    client.post(reverse("progress:reset"), {"confirm": "on"})
    level = client.get("/tracks/web/junior/")
    assert (
        f'id="tick-box-{DEPLOYED}" class="tick-box" name="done-{DEPLOYED}" value="1" checked'
        not in (level.text)
    )


def test_the_brag_document_link_follows_the_guide_when_the_content_has_it(client):
    assert 'href="/guides/brag-document/"' not in page(client)  # the valid tree has no such guide
