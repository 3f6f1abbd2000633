"""The private link: made on /progress/, shown once, opens the same progress in another browser,
revocable, ended by a reset; bad or old tokens get a clear page, never a 500."""

import hashlib
import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from roadmap.progress.models import Learner, PrivateLink, Tick

pytestmark = pytest.mark.django_db

JUNIOR = "qgn88sqegp"
DEPLOYED, PORTFOLIO, SHIPPED = "giu85975il", "yo4tyfi5dw", "k0fp5kgpzi"
LINK = re.compile(r'value="(http://testserver/progress/link/([A-Za-z0-9_-]+)/)"')


@pytest.fixture(autouse=True)
def catalog(valid_loaded, without_page_cache):
    return valid_loaded


def browser() -> Client:
    return Client(headers={"Sec-Fetch-Site": "same-origin"})


def tick(client, *item_ids: str) -> None:
    for item_id in item_ids:
        client.post(reverse("progress:tick", args=[item_id]), {"done": "1"})


def make_link(client) -> tuple[str, str]:
    """Make a private link on /progress/; returns (the address shown, its token)."""
    response = client.post(reverse("progress:link_create"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url, token = LINK.search(response.text).groups()
    return url, token


def open_link(client, url: str):
    """Open the link, then confirm on the page it leads to; returns the confirmation's answer."""
    opened = client.get(url)
    assert opened.status_code == 303
    assert opened["Location"] == "/progress/link/open/"  # the token leaves the address bar
    assert opened["Referrer-Policy"] == "no-referrer"
    assert "Open your progress in this browser?" in client.get(opened["Location"]).text
    return client.post("/progress/link/open/")


def ticked_on_the_level(client) -> set[str]:
    html = client.get("/tracks/web/junior/").text
    return set(
        re.findall(r'id="tick-box-(\w+)" class="tick-box" name="done[^"]*" value="1" checked', html)
    )


def test_the_link_opens_the_same_ticks_and_notes_in_another_browser(client):
    tick(client, DEPLOYED, PORTFOLIO)
    client.post(reverse("progress:note", args=[JUNIOR]), {"text": "From the laptop."})
    url, token = make_link(client)
    assert len(token) >= 43  # 256 random bits

    phone = browser()
    assert ticked_on_the_level(phone) == set()
    confirmed = open_link(phone, url)
    assert (confirmed.status_code, confirmed["Location"]) == (303, "/progress/")
    assert ticked_on_the_level(phone) == {DEPLOYED, PORTFOLIO}
    assert "From the laptop.</textarea>" in phone.get("/tracks/web/junior/").text
    assert "This browser now shows the progress of your private link" in (
        phone.get("/progress/").text
    )

    tick(phone, SHIPPED)  # both browsers share one progress from now on
    assert Tick.objects.filter(item_id=SHIPPED).count() == 1
    assert ticked_on_the_level(client) == {DEPLOYED, PORTFOLIO}
    assert f'id="item-{SHIPPED}"' in client.get("/progress/").text


def test_the_link_is_shown_once_and_only_its_digest_is_kept(client):
    tick(client, DEPLOYED)
    _, token = make_link(client)
    (link,) = PrivateLink.objects.all()
    assert link.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(PrivateLink.objects.values()), default=str)
    again = client.get("/progress/").text
    assert token not in again
    assert "You made a private link on" in again
    assert "Treat it like a password." in again


def test_opening_a_link_adds_this_browsers_own_progress_rather_than_losing_it(client):
    tick(client, DEPLOYED)
    url, _ = make_link(client)
    phone = browser()
    tick(phone, PORTFOLIO)
    assert "This browser already has progress of its own (1 tick and 0 notes)" in (
        phone.get(phone.get(url)["Location"]).text
    )
    phone.post("/progress/link/open/")
    assert ticked_on_the_level(phone) == {DEPLOYED, PORTFOLIO}
    assert Learner.objects.count() == 1


def test_a_revoked_link_opens_nothing_and_says_why(client):
    tick(client, DEPLOYED)
    url, _ = make_link(client)
    revoked = client.post(reverse("progress:link_revoke"), follow=True)
    assert "Your private link is revoked" in revoked.text
    phone = browser()
    response = phone.get(url)
    assert response.status_code == 404
    assert "<h1>This private link does not work</h1>" in response.text
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert ticked_on_the_level(phone) == set()


def test_a_new_link_replaces_the_old_one(client):
    tick(client, DEPLOYED)
    old, _ = make_link(client)
    new, _ = make_link(client)
    assert browser().get(old).status_code == 404
    assert open_link(browser(), new).status_code == 303


def test_a_reset_ends_the_link(client):
    tick(client, DEPLOYED)
    url, _ = make_link(client)
    done = client.post(reverse("progress:reset"), {"confirm": "on"}, follow=True)
    assert "Your private link no longer works" in done.text
    assert browser().get(url).status_code == 404
    assert not PrivateLink.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "A" * 43,
        "A" * 500,
        "%00%01",
        "%F0%9F%9A%80" * 20,
        "'%20OR%201=1--",
        "..%5C..%5Cetc",
    ],
)
def test_bad_tokens_get_the_same_clear_page_never_a_500(client, token):
    client.raise_request_exception = False
    response = client.get(f"/progress/link/{token}/")
    assert response.status_code == 404
    assert "This private link does not work" in response.text


def test_the_token_never_reaches_the_request_log(client, caplog):
    tick(client, DEPLOYED)
    url, token = make_link(client)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="roadmap.request"):
        browser().get(url)
    paths = [record.fields["path"] for record in caplog.records if hasattr(record, "fields")]
    assert paths == ["/progress/link/-/"]
    assert token not in caplog.text


def test_another_site_cannot_attach_a_visitor_to_its_own_link(client):
    """Login CSRF: a page elsewhere sends the visitor to the attacker's link; without the
    confirmation's CSRF token nothing happens, and the visitor's own progress stays theirs."""
    tick(client, DEPLOYED)
    url, _ = make_link(client)
    visitor = Client(enforce_csrf_checks=True, headers={"Sec-Fetch-Site": "same-origin"})
    tick(visitor, PORTFOLIO)
    assert visitor.get(url, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 303
    assert visitor.post("/progress/link/open/").status_code == 403
    assert ticked_on_the_level(visitor) == {PORTFOLIO}
    assert ticked_on_the_level(client) == {DEPLOYED}


def test_the_confirmation_without_an_opened_link_says_the_link_does_not_work(client):
    assert client.get("/progress/link/open/").status_code == 404
    assert client.post("/progress/link/open/").status_code == 404
    tick(client, DEPLOYED)
    url, _ = make_link(client)
    phone = browser()
    phone.get(url)
    client.post(reverse("progress:link_revoke"))  # revoked between opening and confirming
    assert phone.post("/progress/link/open/").status_code == 404
    assert ticked_on_the_level(phone) == set()


def test_the_link_forms_need_a_post_with_djangos_csrf_token(client):
    assert client.get(reverse("progress:link_create")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("progress:link_create")).status_code == 403
    assert strict.post(reverse("progress:link_revoke")).status_code == 403


def test_a_tick_on_the_other_device_shows_here_within_seconds_and_a_tick_here_at_once():
    import time
    from unittest import mock

    from roadmap.progress import learner_state

    laptop, phone = browser(), browser()
    tick(laptop, DEPLOYED)
    open_link(phone, make_link(laptop)[0])
    assert ticked_on_the_level(laptop) == {DEPLOYED}  # read, and kept by this process
    tick(phone, PORTFOLIO)
    assert ticked_on_the_level(phone) == {DEPLOYED, PORTFOLIO}  # the phone's own: at once
    later = time.monotonic() + learner_state.FRESH_SECONDS
    with mock.patch("roadmap.progress.learner_state.time.monotonic", return_value=later):
        assert ticked_on_the_level(laptop) == {DEPLOYED, PORTFOLIO}  # the laptop: within seconds
    laptop.post(reverse("progress:tick", args=[DEPLOYED]), {})  # unticked here: shown at once
    assert ticked_on_the_level(laptop) == {PORTFOLIO}
