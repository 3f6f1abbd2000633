"""Ticking, notes, "My progress" and reset, through the URLs: with and without htmx, and against
forged or unknown requests."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from roadmap.catalog import models as m
from roadmap.progress.models import Learner, Note, Tick

pytestmark = pytest.mark.django_db

JUNIOR, MID = "qgn88sqegp", "wo4tn3iile"
DEPLOYED, EXPLAIN, PORTFOLIO, SKILL = "giu85975il", "kwku8s7wac", "yo4tyfi5dw", "pq2b6wex5t"
LEVEL_URL = "/tracks/web/junior/"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def catalog(valid_loaded, without_page_cache):
    return valid_loaded


def tick(client, item_id: str, *, done: bool = True, next_url: str = LEVEL_URL, **headers):
    data = {"next": next_url, **({"done": "1"} if done else {})}
    return client.post(reverse("progress:tick", args=[item_id]), data, headers=headers)


def ticked() -> set[str]:
    return set(Tick.objects.values_list("item_id", flat=True))


def test_ticking_without_javascript_comes_back_to_the_item_on_the_same_page(client):
    response = tick(client, DEPLOYED)
    assert response.status_code == 303
    assert response["Location"] == f"{LEVEL_URL}#item-{DEPLOYED}"
    assert ticked() == {DEPLOYED}


def test_ticking_with_htmx_answers_the_ticked_checkbox_and_the_levels_new_count(client):
    response = tick(client, DEPLOYED, **HTMX)
    assert response.status_code == 200
    html = response.text
    assert f'<form id="tick-{DEPLOYED}" class="tick is-ticked"' in html
    box = f'<input type="checkbox" id="tick-box-{DEPLOYED}" class="tick-box" name="done-{DEPLOYED}"'
    assert f'{box} value="1" checked>' in html
    assert f'hx-post="/progress/items/{DEPLOYED}/" hx-trigger="change"' in html
    assert f'<span id="level-count-{JUNIOR}" class="level-count" hx-swap-oob="true">' in html
    assert "1 of 2 ready" in html
    assert 'name="next" value="/tracks/web/junior/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "no-store" in response["Cache-Control"]


def test_unticking_removes_the_tick_and_ticking_twice_keeps_one(client):
    tick(client, DEPLOYED)
    tick(client, DEPLOYED)
    assert Tick.objects.count() == 1
    response = tick(client, DEPLOYED, done=False, **HTMX)
    assert f'name="done-{DEPLOYED}" value="1">' in response.text  # not checked
    assert f'<span id="level-count-{JUNIOR}" class="level-count" hx-swap-oob="true"></span>' in (
        response.text
    )
    assert ticked() == set()


@pytest.mark.parametrize(
    "item_id", ["nosuchitem", SKILL, "no-such", "x" * 40], ids=["unknown", "skill", "bad", "long"]
)
def test_an_item_that_cannot_be_ticked_answers_404_and_writes_nothing(client, item_id):
    assert tick(client, item_id).status_code == 404
    assert tick(client, item_id, done=False).status_code == 404
    assert (Learner.objects.count(), Tick.objects.count()) == (0, 0)


def test_a_retired_or_hidden_item_cannot_be_ticked(client):
    m.StageItem.objects.filter(content_id=DEPLOYED).update(retired=True)
    m.StageItem.objects.filter(content_id=EXPLAIN).update(published=False)
    assert tick(client, DEPLOYED).status_code == 404
    assert tick(client, EXPLAIN).status_code == 404


def test_the_tick_and_note_addresses_take_posts_only(client):
    assert client.get(reverse("progress:tick", args=[DEPLOYED])).status_code == 405
    assert client.get(reverse("progress:note", args=[JUNIOR])).status_code == 405
    assert client.get(reverse("progress:reset")).status_code == 405


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_a_return_address_off_this_site_is_replaced_by_the_items_level(client, next_url):
    response = tick(client, DEPLOYED, next_url=next_url)
    assert response["Location"] == f"{LEVEL_URL}#item-{DEPLOYED}"


def test_the_return_address_keeps_its_path_and_query_but_not_its_fragment(client):
    response = tick(client, DEPLOYED, next_url="/progress/?x=1#elsewhere")
    assert response["Location"] == f"/progress/?x=1#item-{DEPLOYED}"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
def test_a_post_from_another_site_is_refused(catalog, headers):
    client = Client()  # a bare client: no browser headers of its own
    assert tick(client, DEPLOYED, **headers).status_code == 403
    note = client.post(reverse("progress:note", args=[JUNIOR]), {"text": "x"}, headers=headers)
    assert note.status_code == 403
    assert (Learner.objects.count(), Note.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "headers", [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"}]
)
def test_a_post_from_this_sites_pages_is_accepted(catalog, headers):
    assert tick(Client(), DEPLOYED, **headers).status_code == 303


def test_a_post_that_says_nothing_of_where_it_came_from_is_refused(catalog):
    assert tick(Client(), DEPLOYED).status_code == 403


def test_the_forms_on_my_progress_still_need_djangos_csrf_token(catalog):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("progress:reset"), {"confirm": "on"})
    assert response.status_code == 403


def test_ticks_are_kept_in_the_database_session_and_come_back_with_the_cookie(client):
    tick(client, DEPLOYED)
    assert settings.SESSION_ENGINE.startswith("django.contrib.sessions.backends.")
    assert settings.SESSION_ENGINE.endswith(("db", "cached_db"))
    assert Session.objects.count() == 1
    other_browser = Client(headers={"Sec-Fetch-Site": "same-origin"})
    other_browser.cookies = client.cookies  # the same cookie, e.g. after a server restart
    html = other_browser.get(reverse("progress:page")).text
    assert "You deployed a small site from scratch." in html
    assert (
        f'id="tick-box-{DEPLOYED}" class="tick-box" name="done-{DEPLOYED}" value="1" checked>'
        in html
    )


def test_the_session_cookie_is_http_only_same_site_lax_and_long_lived(client):
    cookie = tick(client, DEPLOYED).cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 180 * 24 * 3600, "set SESSION_COOKIE_AGE to a year"


def test_a_visitor_who_only_reads_or_unticks_gets_no_session(client):
    client.get(reverse("progress:page"))
    client.get(reverse("progress:export_json"))
    assert tick(client, DEPLOYED, done=False).status_code == 303
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert Learner.objects.count() == 0


def test_a_note_is_saved_and_shown_back_escaped(client):
    text = '<script>alert("hi")</script>\r\nSecond line & more'
    response = client.post(reverse("progress:note", args=[JUNIOR]), {"text": text, "next": "/"})
    assert response["Location"] == f"/#note-{JUNIOR}"
    assert Note.objects.get().text == '<script>alert("hi")</script>\nSecond line & more'
    html = client.get(reverse("progress:page")).text
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;\nSecond line &amp; more" in html
    assert "<script>alert" not in html


def test_saving_a_note_with_htmx_answers_a_status_line_only(client):
    response = client.post(reverse("progress:note", args=[JUNIOR]), {"text": "x"}, headers=HTMX)
    assert response.status_code == 200
    assert response.text == "Your note is saved."


def test_a_note_of_5000_characters_fits_when_line_breaks_count_once(client):
    text = ("a" * 99 + "\r\n") * 50  # 5,000 characters as a textarea counts them
    response = client.post(reverse("progress:note", args=[JUNIOR]), {"text": text})
    assert response.status_code == 303
    assert len(Note.objects.get().text) == 5000


def test_a_note_over_5000_characters_is_refused_and_the_text_is_kept_for_editing(client):
    client.post(reverse("progress:note", args=[JUNIOR]), {"text": "old"})
    text = "b" * 5001
    response = client.post(reverse("progress:note", args=[JUNIOR]), {"text": text})
    assert response.status_code == 400
    assert "at most 5000 characters; this one has 5001" in response.text
    assert f"\n{text}</textarea>" in response.text
    htmx = client.post(reverse("progress:note", args=[JUNIOR]), {"text": text}, headers=HTMX)
    assert htmx.status_code == 200
    assert "It was not saved." in htmx.text
    assert Note.objects.get().text == "old"


def test_an_empty_note_deletes_the_note(client):
    client.post(reverse("progress:note", args=[JUNIOR]), {"text": "x"})
    client.post(reverse("progress:note", args=[JUNIOR]), {"text": "  \r\n "})
    assert Note.objects.count() == 0


def test_a_note_on_an_unknown_level_answers_404(client):
    response = client.post(reverse("progress:note", args=["nosuchstage"]), {"text": "x"})
    assert response.status_code == 404
    assert Learner.objects.count() == 0


def test_my_progress_lists_each_touched_track_and_level_with_its_counts(client):
    tick(client, DEPLOYED)
    tick(client, PORTFOLIO)
    client.post(reverse("progress:note", args=[MID]), {"text": "Next up."})
    response = client.get(reverse("progress:page"))
    html = response.text
    assert response.status_code == 200
    assert "<h1>My progress</h1>" in html
    assert '<h2 id="progress-web">Web Development</h2>' in html
    assert '<a href="/tracks/web/junior/">Junior</a>' in html
    assert '<a href="/tracks/web/mid-level/">Mid-level</a>' in html
    assert f'<span id="level-count-{JUNIOR}" class="level-count">1 of 2 ready</span>' in html
    assert "Ready for the next level: 1 of 2 criteria</label>" in html
    assert "Projects built: 1 of 2 projects</label>" in html
    assert html.count(" checked>") == 2
    assert "Next up.</textarea>" in html
    assert "no-store" in response["Cache-Control"]


def test_my_progress_without_progress_invites_to_start_and_offers_no_reset(client):
    html = client.get(reverse("progress:page")).text
    assert "Nothing ticked yet." in html
    assert 'href="/start/"' in html
    assert "Delete all my progress" not in html


def test_reset_asks_for_confirmation_then_deletes_everything(client):
    tick(client, DEPLOYED)
    refused = client.post(reverse("progress:reset"), {})
    assert refused.status_code == 400
    assert "Tick the box to confirm. Nothing was deleted." in refused.text
    assert Tick.objects.count() == 1
    done = client.post(reverse("progress:reset"), {"confirm": "on"}, follow=True)
    assert done.redirect_chain == [("/progress/", 303)]
    assert "Your ticks and notes are deleted." in done.text
    assert (Learner.objects.count(), Tick.objects.count()) == (0, 0)
