"""The page cache never keeps anything of one learner's: their track and level pages, /progress/,
and the private link's answers; while /changes/ and its feeds, the same for everyone, are kept."""

import re

import pytest
from django.test import Client

from roadmap.ops.page_cache import _shareable

pytestmark = pytest.mark.usefixtures("site_content", "page_cache_on")

CRITERION = "rbcvtqbf3d"  # site tree: web · junior


def fresh() -> Client:
    return Client(headers={"Sec-Fetch-Site": "same-origin"})


@pytest.mark.parametrize("url", ["/changes/", "/changes.atom", "/tracks/web/changes.atom"])
def test_changes_and_its_feeds_are_cached_for_everyone(url):
    assert [fresh().get(url).get("X-Page-Cache") for _ in range(2)] == ["miss", "hit"]


def test_a_learners_pages_are_never_stored_and_pages_that_open_their_level_are_shared_too():
    learner = fresh()
    learner.post(f"/progress/items/{CRITERION}/", {"done": "1"})
    for url in ["/", "/tracks/web/", "/tracks/web/junior/", "/progress/"]:
        response = learner.get(url)
        # home and a track page open their level: the shared page for it, their slots filled in
        assert ("X-Page-Cache" in response) == (url != "/progress/"), url
        assert not _shareable(response), url  # not even if the cookie went missing on the way
    anonymous = fresh().get("/tracks/web/junior/")
    assert (
        f'id="tick-box-{CRITERION}" class="tick-box" name="done-{CRITERION}" value="1" checked'
        not in (anonymous.text)
    )


def test_a_private_links_answers_are_never_stored():
    learner = fresh()
    learner.post(f"/progress/items/{CRITERION}/", {"done": "1"})
    url = re.search(
        r'value="http://testserver(/progress/link/[^"]+)"', learner.post("/progress/link/").text
    ).group(1)
    assert fresh().get(url).status_code == 303
    assert fresh().get(url).status_code == 303  # answered afresh, never from the cache
    learner.post("/progress/link/revoke/")
    gone = fresh().get(url)
    assert gone.status_code == 404 and "X-Page-Cache" not in gone
    assert fresh().get(url).status_code == 404
