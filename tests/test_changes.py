"""What a content load changed: kept item by item, told to a returning learner ("since your last
visit"), listed on /changes/ and in the Atom feeds."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from webpages import html_validate, needs_html_validate

from roadmap.catalog import models as m
from roadmap.changes.words import change_lines
from roadmap.content.loader import content_load
from roadmap.progress.models import Learner

pytestmark = pytest.mark.usefixtures("without_page_cache")

ATOM = "{http://www.w3.org/2005/Atom}"
DEPLOYED, EXPLAIN = "giu85975il", "kwku8s7wac"
NEW_PROJECT = (
    "  - id: newproj001\n    title: A chat app with websockets\n    teaches: Realtime updates.\n"
)
TODO_APP = "  - id: vuuj6czlho\n    title: A to-do list with a database\n"


def edit(root: Path, name: str, *replacements: tuple[str, str]) -> None:
    path = root / name
    text = path.read_text()
    for old, new in replacements:
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new, 1)
    path.write_text(text)
    content_load(root=root, actor="tests")


def add_a_project_and_reword_a_criterion(root: Path) -> None:
    edit(
        root,
        "tracks/web/junior.yaml",
        (TODO_APP, NEW_PROJECT + TODO_APP),
        ("You deployed a small site from scratch.", "You deployed a small site on your own."),
    )


def tick(client, item_id: str) -> None:
    client.post(f"/progress/items/{item_id}/", {"done": "1", "next": "/tracks/web/junior/"})


def a_later_visit() -> None:
    """Every learner's previous page view was long enough ago for this to be a new visit."""
    long_ago = timezone.now() - timedelta(hours=2)
    Learner.objects.update(last_seen_at=long_ago, changes_since=long_ago)


def test_a_load_keeps_what_it_added_changed_and_retired_with_where_it_was(valid_content):
    assert not m.ContentChange.objects.exists()  # the first load is no one's news
    add_a_project_and_reword_a_criterion(valid_content)
    edit(valid_content, "tracks/web/junior.yaml", (NEW_PROJECT, ""))
    rows = {(c.action, c.content_id): c for c in m.ContentChange.objects.filter(model="stage item")}
    assert set(rows) == {("added", "newproj001"), ("changed", DEPLOYED), ("retired", "newproj001")}
    added = rows["added", "newproj001"]
    assert (added.item_kind, added.title) == ("project", "A chat app with websockets")
    assert (added.track_slug, added.track_name, added.level_name) == (
        "web",
        "Web Development",
        "Junior",
    )
    reworded = rows["changed", DEPLOYED]
    assert reworded.reworded and reworded.fields == ["text"]
    assert reworded.title == "You deployed a small site on your own."
    assert m.ContentLoad.objects.count() == 3


def test_rows_that_only_move_place_are_not_news(valid_content):
    edit(
        valid_content,
        "tracks/web/junior.yaml",
        (
            "  - id: giu85975il\n    text: You deployed a small site from scratch.\n",
            "",
        ),
        (
            "    text: You can explain what happens when a browser loads a page.\n",
            "    text: You can explain what happens when a browser loads a page.\n"
            "  - id: giu85975il\n    text: You deployed a small site from scratch.\n",
        ),
    )
    assert not m.ContentChange.objects.exists()


def test_a_returning_learner_sees_what_changed_on_their_track_since_their_last_visit(
    valid_content, client
):
    tick(client, DEPLOYED)
    a_later_visit()
    add_a_project_and_reword_a_criterion(valid_content)

    html = client.get("/tracks/web/").text
    assert "Since your last visit" in html
    assert '<a href="/tracks/web/junior/">1 new project in Web Development · Junior</a>' in html
    assert "1 criterion you ticked was reworded" in html
    # the whole visit long, not only on its first page
    assert "1 new project in Web Development · Junior" in client.get("/tracks/web/junior/").text


def test_the_news_is_worked_out_once_while_neither_content_nor_ticks_change(valid_content, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tick(client, DEPLOYED)
    a_later_visit()
    add_a_project_and_reword_a_criterion(valid_content)

    def news_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert "1 new project in Web Development" in client.get("/tracks/web/").text
        return sum("catalog_contentchange" in q["sql"] for q in queries.captured_queries)

    assert news_reads() >= 1
    assert news_reads() == 0  # a large load makes this thousands of rows: not on every page
    tick(client, EXPLAIN)
    assert news_reads() >= 1  # their ticks changed: worked out again


def test_what_was_seen_on_an_earlier_visit_is_not_news_again(valid_content, client):
    tick(client, DEPLOYED)
    a_later_visit()
    add_a_project_and_reword_a_criterion(valid_content)
    assert "Since your last visit" in client.get("/tracks/web/").text
    # Move time on: the load three hours ago, the visit that saw it ended two hours ago.
    now = timezone.now()
    m.ContentLoad.objects.update(started_at=now - timedelta(hours=3))
    Learner.objects.update(last_seen_at=now - timedelta(hours=2))
    session = client.session
    session.pop("progress_visit", None)
    session.save()
    assert "Since your last visit" not in client.get("/tracks/web/").text


def test_visitors_without_progress_and_other_tracks_hear_nothing(valid_content, client):
    add_a_project_and_reword_a_criterion(valid_content)
    assert "Since your last visit" not in client.get("/tracks/web/").text
    tick(client, DEPLOYED)
    a_later_visit()
    assert "Since your last visit" not in client.get("/tracks/data/").text


def test_changes_lists_each_load_in_plain_words(valid_content, client):
    add_a_project_and_reword_a_criterion(valid_content)
    response = client.get("/changes/")
    html = response.text
    assert response.status_code == 200
    assert "<h1>What changed</h1>" in html
    assert "1 new project in Web Development · Junior" in html
    assert "1 criterion reworded in Web Development · Junior" in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/changes.atom"' in html
    web = client.get("/changes/?track=web").text
    assert "<h1>What changed in Web Development</h1>" in web
    assert "1 new project" in web
    assert "1 new project" not in client.get("/changes/?track=data").text


def test_changes_for_an_unknown_track_says_so_and_answers_400(valid_content, client):
    response = client.get("/changes/?track=%3Cscript%3E")
    assert response.status_code == 400
    assert "There is no track “&lt;script&gt;”" in response.text


def parse_atom(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + required).text, required
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "content"):
            assert entry.find(ATOM + required).text, required
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://")
    return feed


def test_the_atom_feed_has_one_entry_per_load_that_changed_something(valid_content, client):
    assert parse_atom(client.get("/changes.atom")).findall(f"{ATOM}entry") == []
    add_a_project_and_reword_a_criterion(valid_content)
    content_load(root=valid_content, actor="tests")  # changes nothing: no entry
    feed = parse_atom(client.get("/changes.atom"))
    (entry,) = feed.findall(f"{ATOM}entry")
    assert "1 new project in Web Development · Junior" in entry.find(f"{ATOM}title").text
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert 'href="http://testserver/tracks/web/junior/"' in content.text
    load = m.ContentLoad.objects.filter(changes__isnull=False).distinct().get()
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/changes/#load-{load.pk}"


def test_each_track_has_its_own_feed_linked_from_its_pages(valid_content, client):
    add_a_project_and_reword_a_criterion(valid_content)
    web = parse_atom(client.get("/tracks/web/changes.atom"))
    assert len(web.findall(f"{ATOM}entry")) == 1
    assert web.find(f"{ATOM}title").text == "Roadmap: what changed in Web Development"
    data = parse_atom(client.get("/tracks/data/changes.atom"))
    assert data.findall(f"{ATOM}entry") == []
    html = client.get("/tracks/web/junior/").text
    assert (
        '<link rel="alternate" type="application/atom+xml" title="What changed in Web '
        'Development (Atom)" href="/tracks/web/changes.atom">' in html
    )


@pytest.mark.parametrize(
    "url",
    [
        "/tracks/no-such-track/changes.atom",
        "/tracks/web/changes.atom/",
        "/tracks/%3Cb%3E/changes.atom",
        "/changes.atom/x",
        "/tracks/web/junior/changes.atom",
    ],
)
def test_bad_feed_addresses_answer_404_never_500(valid_content, client, url):
    client.raise_request_exception = False
    assert client.get(url).status_code == 404


@needs_html_validate
def test_the_changes_page_and_a_track_with_news_are_valid_html(valid_content, client, tmp_path):
    tick(client, DEPLOYED)
    a_later_visit()
    add_a_project_and_reword_a_criterion(valid_content)
    for n, url in enumerate(["/changes/", "/changes/?track=web", "/tracks/web/", "/"]):
        html = client.get(url).text
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        (tmp_path / f"page{n}.html").write_text(html)
    html_validate(tmp_path)


def test_changes_are_counted_and_placed_in_plain_words():
    def change(**fields) -> m.ContentChange:
        place = {"track_slug": "backend", "track_name": "Backend", "track_content_id": "b"}
        return m.ContentChange(**{**place, **fields})

    mid = {"level_slug": "mid-level", "level_name": "Mid-level", "level_order": 2}
    rows = [
        *(change(model="stage item", item_kind="project", action="added", **mid) for _ in "abc"),
        change(model="stage item", item_kind="ready_when", action="changed", reworded=True, **mid),
        change(
            model="stage", action="added", level_slug="senior", level_name="Senior", level_order=3
        ),
        change(model="track", action="changed"),
        m.ContentChange(model="course", action="changed"),
        m.ContentChange(model="course", action="retired"),
        m.ContentChange(model="course", action="retired"),
    ]
    assert [(line.text, line.url) for line in change_lines(rows)] == [
        ("Changed: Backend", "/tracks/backend/"),
        ("3 new projects in Backend · Mid-level", "/tracks/backend/mid-level/"),
        ("1 criterion reworded in Backend · Mid-level", "/tracks/backend/mid-level/"),
        ("New level: Backend · Senior", "/tracks/backend/senior/"),
        ("1 course changed", ""),
        ("2 courses retired", ""),
    ]


def test_a_load_during_a_visit_is_news_within_a_minute(valid_content, client):
    tick(client, DEPLOYED)
    a_later_visit()
    assert "Since your last visit" not in client.get("/tracks/web/").text
    add_a_project_and_reword_a_criterion(valid_content)
    session = client.session
    seen, since, last_load = session["progress_visit"]
    session["progress_visit"] = [seen - 61, since, last_load]  # a minute later
    session.save()
    assert "1 new project in Web Development · Junior" in client.get("/tracks/web/").text


def test_the_changes_page_is_not_marked_as_my_progress_in_the_navigation(valid_content, client):
    html = client.get("/changes/").text
    assert '<a href="/progress/" aria-current="page">' not in html
    assert '<a href="/changes/" aria-current="page">All tracks</a>' in html
