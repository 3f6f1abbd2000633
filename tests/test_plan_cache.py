"""/plan/ and the page cache: its dates run from today, so no copy of it is ever served from the
cache, while a shared page under the same settings is."""

from datetime import date

import pytest

from roadmap.plan import views

pytestmark = pytest.mark.usefixtures("site_content")


def test_the_plan_is_rendered_afresh_each_day_while_shared_pages_come_from_the_cache(
    page_cache_on, client, monkeypatch
):
    client.get("/timelines/")
    assert client.get("/timelines/")["X-Page-Cache"] == "hit"  # the cache is on

    url = "/plan/?track=web&level=beginner&hours=15"
    monkeypatch.setattr(views, "_today", lambda: date(2027, 1, 4))
    assert "between February 1, 2027 and March 1, 2027" in client.get(url).text
    monkeypatch.setattr(views, "_today", lambda: date(2027, 1, 5))
    tomorrow = client.get(url)
    assert "between February 2, 2027 and March 2, 2027" in tomorrow.text
    assert "X-Page-Cache" not in tomorrow
