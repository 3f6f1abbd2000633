"""What a bot or a careless client can send, answered clearly and changing nothing: oversized
bodies, every method on every address, guessed admin passwords, damaged progress files.

Cut-short bodies and slow clients need a real server: tests/test_abuse_server.py.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roadmap.catalog import models as m
from roadmap.progress.models import Learner, Note, Tick

pytestmark = pytest.mark.django_db

JUNIOR = "qgn88sqegp"  # a level of the valid fixture tree
PORTFOLIO = "yo4tyfi5dw"  # a project on it
TICK = f"/progress/items/{PORTFOLIO}/"
NOTE = f"/progress/levels/{JUNIOR}/note/"
ORIGIN = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture(autouse=True)
def catalog(valid_loaded, without_page_cache):
    return valid_loaded


def nothing_saved() -> bool:
    return not (Learner.objects.exists() or Session.objects.exists())


def catalogue_rows() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (m.Track, m.Stage, m.StageItem, m.Guide))


# --- bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "size", "limit"),
    [(TICK, 70_000, "64 KB"), (NOTE, 200_000, "64 KB"), ("/progress/import/", 2_000_000, "1.0 MB")],
)
def test_an_oversized_body_is_refused_with_413_before_it_is_read(client, path, size, limit):
    body = b"text=" + b"a" * size
    response = client.generic(
        "POST", path, body, content_type="application/x-www-form-urlencoded", headers=ORIGIN
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert f"this address accepts at most {limit}" in text and "Nothing was changed." in text
    assert nothing_saved()


def test_a_note_at_its_longest_in_any_script_fits_the_limit(client):
    note = "语" * 5000  # 5,000 characters, 45 KB once form-encoded
    response = client.post(NOTE, {"text": note})
    assert response.status_code == 303
    assert Note.objects.get().text == note


def test_a_content_length_that_is_not_a_number_is_refused(client):
    response = client.generic("POST", TICK, b"done=1", CONTENT_LENGTH="12abc", headers=ORIGIN)
    assert response.status_code == 400
    assert "Content-Length is not a number" in response.content.decode()
    assert nothing_saved()


def test_an_empty_note_from_a_new_visitor_creates_nothing(client):
    assert client.post(NOTE, {"text": "   "}).status_code == 303
    assert nothing_saved()


# --- methods ---------------------------------------------------------------------------------

PAGES = [
    "/",
    "/tracks/web/",
    "/tracks/web/junior/",
    "/timelines/",
    "/courses/",
    "/reading/",
    "/articles/",
    "/articles/sample-article/",
    "/guides/",
    "/guides/levels/",
    "/sitemap.xml",
    "/robots.txt",
    "/start/",
    "/search/?q=deploy",
    "/search/suggest/?q=dep",
    "/progress/",
    "/progress/brag-document.md",
    "/progress/progress.json",
    "/admin/login/",
]
POST_ONLY = [TICK, NOTE, "/progress/reset/", "/progress/import/"]
OTHER_METHODS = ["PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "CONNECT", "FOO"]


@pytest.fixture
def browser():
    """A client that checks CSRF tokens as the real site does."""
    return Client(enforce_csrf_checks=True, headers=ORIGIN)


@pytest.mark.parametrize("path", PAGES)
def test_every_method_on_a_page_gets_a_clear_answer_and_changes_nothing(browser, path):
    rows = catalogue_rows()
    get = browser.get(path)
    assert get.status_code in (200, 301, 302)

    head = browser.head(path)
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]

    options = browser.options(path)
    assert options.status_code == 204
    allowed = options["Allow"]
    assert allowed.startswith("GET, HEAD")

    not_allowed = OTHER_METHODS if "POST" in allowed else ["POST", *OTHER_METHODS]
    for method in not_allowed:
        response = browser.generic(method, path)
        assert response.status_code == 405, method
        assert response["Allow"] == allowed
        assert f"This address does not accept {method} requests." in response.content.decode()
    assert nothing_saved()
    assert catalogue_rows() == rows


@pytest.mark.parametrize("path", POST_ONLY)
def test_a_form_address_takes_only_post(browser, path):
    for method in ["GET", "HEAD", *OTHER_METHODS]:
        response = browser.generic(method, path)
        assert response.status_code == 405, method
        assert response["Allow"] == "POST"
    assert nothing_saved()


def test_healthz_takes_only_reads(browser):
    for method in ["POST", "PUT", "DELETE", "TRACE"]:
        response = browser.generic(method, "/healthz")
        assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
    assert browser.head("/healthz").status_code == 200


def test_an_unknown_address_is_404_whatever_the_method(browser):
    for method in ["GET", "HEAD", "POST", "PUT", "DELETE"]:
        assert browser.generic(method, "/no/such/page/").status_code == 404


# --- admin sign-in -------------------------------------------------------------------------

PASSWORD = "a-long-and-correct-password"


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client: Client, username: str, password: str, address: str = "198.51.100.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_thirty_wrong_passwords_lock_the_account_and_the_address_for_a_while(staff):
    guesser = Client()
    answers = [sign_in(guesser, "editor", f"guess-{n}") for n in range(30)]
    assert [a.status_code for a in answers[:4]] == [200] * 4  # the form again, with its error
    assert "Please enter the correct username and password" in answers[0].content.decode()
    for answer in answers[4:]:  # the fifth failure locks
        assert answer.status_code == 429
        assert answer.content.decode() == (
            "Too many failed sign-ins for this account or from this address. "
            "Try again in 15 minutes.\n"
        )
        assert answer["Retry-After"] == "900"
    # The right password does not open a locked account, from anywhere...
    assert sign_in(Client(), "editor", PASSWORD, address="203.0.113.9").status_code == 429
    # ...and the guessing address cannot try another account either.
    get_user_model().objects.create_superuser("other", "other@example.org", PASSWORD)
    assert sign_in(Client(), "other", PASSWORD).status_code == 429
    staff.refresh_from_db()
    assert staff.last_login is None
    assert not Session.objects.exists()
    # Another account from another address is unaffected.
    assert sign_in(Client(), "other", PASSWORD, address="203.0.113.9").status_code == 302


def test_a_staff_session_expires_after_hours_not_a_year(staff, settings):
    client = Client()
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert client.session.get_expiry_age() == 8 * 60 * 60 == settings.ADMIN_SESSION_SECONDS
    assert client.cookies["sessionid"]["max-age"] == 8 * 60 * 60


def test_a_learner_session_still_lasts_a_year(client, settings):
    client.post(TICK, {"done": "1"})
    assert client.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


# --- progress files -------------------------------------------------------------------------


def progress_file(ticks=(), notes=()) -> SimpleUploadedFile:
    data = {"format": "roadmap-progress", "version": 1, "ticks": list(ticks), "notes": list(notes)}
    return SimpleUploadedFile("progress.json", json.dumps(data).encode(), "application/json")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            {"notes": [{"stage": JUNIOR, "text": "before\u0000after"}]},
            "notes[0].text: the text holds a control character (U+0000) a note cannot keep",
        ),
        (
            {"notes": [{"stage": JUNIOR, "text": "bell\u0007"}]},
            "notes[0].text: the text holds a control character (U+0007) a note cannot keep",
        ),
        (
            {"ticks": [{"id": PORTFOLIO, "ticked_at": "2024-03-01T10:00:00+20:00"}]},
            "ticks[0].ticked_at: the time-zone offset +2000 is not a real one",
        ),
        (
            {"ticks": [{"id": PORTFOLIO, "ticked_at": "9999-12-31T23:59:59+00:00"}]},
            "ticks[0].ticked_at: the year 9999 is outside 2000–",
        ),
        (
            {"ticks": [{"id": PORTFOLIO, "ticked_at": "0001-01-01T00:00:00+00:00"}]},
            "ticks[0].ticked_at: the year 1 is outside 2000–",
        ),
        (
            {"notes": [{"stage": JUNIOR, "text": "x", "updated_at": "9999-01-01T00:00:00Z"}]},
            "notes[0].updated_at: the year 9999 is outside 2000–",
        ),
    ],
)
def test_a_damaged_progress_file_is_refused_with_what_is_wrong_and_changes_nothing(
    client, entry, problem
):
    client.post(NOTE, {"text": "My note, to keep."})
    before = (Tick.objects.count(), list(Note.objects.values_list("text", flat=True)))
    response = client.post("/progress/import/", {"file": progress_file(**entry)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "That progress file is damaged (" in page and problem in page
    assert "Nothing was changed." in page
    assert (Tick.objects.count(), list(Note.objects.values_list("text", flat=True))) == before
    # The learner's pages keep working.
    for path in ("/progress/", "/progress/progress.json", "/tracks/web/junior/"):
        assert client.get(path).status_code == 200


def test_a_progress_file_from_another_time_zone_imports(client):
    ticks = [{"id": PORTFOLIO, "ticked_at": "2024-03-01T10:00:00+13:45"}]
    response = client.post("/progress/import/", {"file": progress_file(ticks=ticks)})
    assert response.status_code == 303
    assert Tick.objects.get().ticked_at.isoformat() == "2024-02-29T20:15:00+00:00"
