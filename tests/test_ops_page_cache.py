"""The page cache: what it stores, what it never stores, how a content change retires pages, and
that a learner's part of a shared page is theirs alone and never stored.

The views under test live in this module (`pytest.mark.urls`), so the rules are checked apart from
the site's pages; the tests at the end use the site's own pages with the fixture content.
"""

import itertools
import os
import secrets
import time
from collections import Counter
from unittest import mock

import pytest
from content_trees import SITE
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, override_settings
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from roadmap.catalog.models import Level
from roadmap.content.loader import content_load
from roadmap.ops import content_version as cv
from roadmap.ops.content_version import content_version_bump, content_version_get
from roadmap.ops.page_cache import shared_page

RENDERS = Counter()


def counted(name: str):
    RENDERS[name] += 1
    return f"{name} #{RENDERS[name]}"


@shared_page()
def shared(request):
    return HttpResponse(counted("shared"))


@shared_page()
def slow(request):
    time.sleep(0.2)  # long enough for the other requests to arrive meanwhile
    return HttpResponse(counted("slow"))


@shared_page(query=("page",))
def paged(request):
    return HttpResponse(counted(f"paged {dict(request.GET.items())}"))


@shared_page()
@vary_on_headers("HX-Request")
def two_shapes(request):
    return HttpResponse(counted("partial" if request.htmx else "full"))


def not_shared(request):
    return HttpResponse(counted("not shared"))


@shared_page()
def with_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


@shared_page()
def reads_session(request):
    return HttpResponse(f"visits: {request.session.get('visits', 0)}")


@shared_page()
@cache_control(private=True)
def private(request):
    return HttpResponse(counted("private"))


@shared_page()
def missing(request):
    return HttpResponse(counted("missing"), status=404)


@shared_page()
def levels(request):
    return HttpResponse(", ".join(Level.objects.values_list("name", flat=True)))


urlpatterns = [
    path("shared/", shared),
    path("paged/", paged),
    path("slow/", slow),
    path("two-shapes/", two_shapes),
    path("not-shared/", not_shared),
    path("form/", with_form),
    path("session/", reads_session),
    path("private/", private),
    path("missing/", missing),
    path("levels/", levels),
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each process's own memory, whatever REDIS_URL says; the Redis tests below ask for Redis."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.REDIS_URL = ""
    settings.PAGE_CACHE_SECONDS = 600  # production's default is on; development's is off
    cache.clear()
    RENDERS.clear()
    yield
    cache.clear()


def test_a_second_anonymous_get_is_served_from_the_cache(client):
    first, second = client.get("/shared/"), client.get("/shared/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert first.content == second.content == b"shared #1"
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "no-cache"  # browsers revalidate, and get a 304


def test_a_head_request_is_served_from_what_a_get_stored(client):
    client.get("/shared/")
    assert client.head("/shared/")["X-Page-Cache"] == "hit"
    assert RENDERS["shared"] == 1


def test_the_htmx_partial_and_the_full_page_are_separate_entries(client):
    htmx = {"HX-Request": "true"}
    assert client.get("/two-shapes/").content == b"full #1"
    assert client.get("/two-shapes/", headers=htmx).content == b"partial #1"
    assert client.get("/two-shapes/").content == b"full #1"
    hit = client.get("/two-shapes/", headers=htmx)
    assert (hit.content, hit["X-Page-Cache"]) == (b"partial #1", "hit")
    assert hit["Vary"] == "HX-Request"


def test_the_htmx_headers_count_only_as_true_or_not(client):
    assert client.get("/two-shapes/", headers={"HX-Request": "true"}).content == b"partial #1"
    junk = client.get("/two-shapes/", headers={"HX-Request": "junk-1"})
    assert (junk.content, junk["X-Page-Cache"]) == (b"full #1", "miss")
    other = client.get("/two-shapes/", headers={"HX-Request": "junk-2"})
    assert (other.content, other["X-Page-Cache"]) == (b"full #1", "hit")


def test_only_the_query_parameters_a_view_names_make_an_address(client):
    assert client.get("/paged/?page=1").content == b"paged {'page': '1'} #1"
    assert client.get("/paged/?page=2").content == b"paged {'page': '2'} #1"
    junk = client.get("/paged/?utm_source=x&page=1&junk=y")
    assert (junk.content, junk["X-Page-Cache"]) == (b"paged {'page': '1'} #1", "hit")
    first = client.get("/shared/?a=1")
    assert (first.content, client.get("/shared/?b=2")["X-Page-Cache"]) == (b"shared #1", "hit")


def test_junk_query_strings_store_nothing_new(client):
    client.get("/shared/")
    stored = len(cache._cache)
    for n in range(20):
        assert client.get(f"/shared/?x={n}")["X-Page-Cache"] == "hit"
    assert len(cache._cache) == stored


def test_a_new_content_version_makes_every_page_render_again(client):
    client.get("/shared/")
    content_version_bump()
    response = client.get("/shared/")
    assert (response.content, response["X-Page-Cache"]) == (b"shared #2", "miss")


def test_saving_catalog_content_bumps_the_version_so_the_next_request_sees_it(client):
    Level.objects.create(slug="junior", name="Junior", meaning="m")
    assert client.get("/levels/").content == b"Junior"
    level = Level.objects.get()
    level.name = "Junior developer"
    level.save()  # what an admin save does
    assert client.get("/levels/").content == b"Junior developer"
    level.delete()
    assert client.get("/levels/").content == b""


@pytest.mark.urls("roadmap.urls")  # a load rebuilds the search index, which links to real pages
def test_a_content_load_bumps_the_version_and_a_dry_run_does_not(
    django_capture_on_commit_callbacks,
):
    before = content_version_get()
    content_load(root=SITE, actor="tests", dry_run=True)
    assert content_version_get() == before
    content_load(root=SITE, actor="tests")
    loaded = content_version_get()
    assert loaded.token != before.token
    content_load(root=SITE, actor="tests")  # nothing changed: nothing to retire
    assert content_version_get() == loaded


def test_requests_that_arrive_while_a_page_renders_wait_for_it_instead_of_rendering_it_too(
    monkeypatch,
):
    import threading

    from roadmap.ops import page_cache

    version = cv.Version("v1", 0)  # not from the database, which other threads cannot see here
    monkeypatch.setattr(page_cache, "content_version_get_with", lambda k: (version, cache.get(k)))
    browser, answers = Client(), []  # one client: one handler, as in a worker process
    browser.get("/shared/")  # its middleware is set up on the first request
    threads = [
        threading.Thread(target=lambda: answers.append(browser.get("/slow/").content))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [b"slow #1"] * 6
    assert RENDERS["slow"] == 1


def test_a_view_without_shared_page_is_never_cached(client):
    client.get("/not-shared/")
    response = client.get("/not-shared/")
    assert response.content == b"not shared #2"
    assert "X-Page-Cache" not in response


@pytest.mark.parametrize("url", ["/form/", "/session/", "/private/", "/missing/"])
def test_per_visitor_private_and_error_pages_are_never_stored(client, url):
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_a_page_with_a_csrf_token_is_not_stored_for_someone_else(client):
    first = client.get("/form/")
    assert settings.CSRF_COOKIE_NAME in first.cookies
    other = type(client)()
    assert other.get("/form/").content != first.content


def test_a_session_or_junk_cookie_without_progress_gets_the_shared_page(client):
    client.get("/shared/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
    client.cookies["junk"] = "x" * 100
    response = client.get("/shared/")
    assert (response.content, response["X-Page-Cache"]) == (b"shared #1", "hit")


def test_conditional_requests_get_304_from_the_etag_or_the_last_modified_date(client):
    content_version_bump()  # content that changed at a known time, whatever ran before this test
    client.get("/shared/")
    stored = client.get("/shared/")
    by_etag = client.get("/shared/", headers={"If-None-Match": stored["ETag"]})
    by_date = client.get("/shared/", headers={"If-Modified-Since": stored["Last-Modified"]})
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    assert by_etag["Content-Security-Policy"] == stored["Content-Security-Policy"]
    changed = client.get("/shared/", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_a_failing_cache_renders_the_page_instead(client):
    down = ConnectionError("down")
    with mock.patch("django.core.cache.cache.get", side_effect=down):
        first = client.get("/shared/")
    assert (first.status_code, first.content) == (200, b"shared #1")


def test_a_page_cache_of_zero_seconds_turns_it_off(client):
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get("/shared/")
        response = client.get("/shared/")
    assert response.content == b"shared #2"


# --- a shared Redis ------------------------------------------------------------------------------

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL} (CI requires it)")


@pytest.fixture
def shared_redis():
    redis_or_skip()
    prefix = f"test-ops-{secrets.token_hex(4)}"
    caches = {
        "default": {
            "BACKEND": "roadmap.ops.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches, REDIS_URL=REDIS_URL):
        yield prefix
    # Only this test's keys: a FLUSHDB would empty the Redis that other tests (another worker,
    # the two-instance test) are using at the same moment.
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*", count=1000):
        client.delete(key)
    cv._watcher.stop()  # end the subscription to the test's channel


def eventually(condition, seconds: float = 60) -> bool:
    """Announcements arrive on another thread: wait for one to be heard. The limit only stops a
    test that would otherwise wait forever; it is not a speed requirement (a busy machine may
    take a while)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_with_redis_a_bump_in_another_process_is_served_on_the_next_request(
    client, shared_redis, django_capture_on_commit_callbacks
):
    assert client.get("/shared/")["X-Page-Cache"] == "miss"
    assert eventually(lambda: cv._watcher.listening)
    assert client.get("/shared/")["X-Page-Cache"] == "hit"
    assert cv._watcher.current() is not None  # this process trusts its copy of the version
    with django_capture_on_commit_callbacks(execute=True):
        content_version_bump()  # as another instance would: database, Redis, announcement
    response = client.get("/shared/")
    assert (response.content, response["X-Page-Cache"]) == (b"shared #2", "miss")


def test_with_redis_and_the_database_down_the_last_known_version_still_serves_pages(
    client, shared_redis, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    with django_capture_on_commit_callbacks(execute=True):
        content_version_bump()
    assert client.get("/shared/")["X-Page-Cache"] == "miss"
    cache.delete(cv.CACHE_KEY)  # its minute is over: the database would be asked
    with mock.patch.object(cv, "_from_database", side_effect=OperationalError("down")):
        response = client.get("/shared/")
    assert (response.content, response["X-Page-Cache"]) == (b"shared #1", "hit")


def test_with_redis_an_announcement_makes_the_process_ask_redis_again(shared_redis):
    content_version_get()
    assert eventually(lambda: cv._watcher.listening)
    content_version_get()
    assert cv._watcher.current() is not None
    cv._redis().publish(cv._channel(), "new")
    assert eventually(lambda: cv._watcher.current() is None)


def test_with_redis_a_lost_subscription_means_asking_redis_until_it_is_back(shared_redis):
    content_version_get()
    assert eventually(lambda: cv._watcher.listening)
    content_version_get()
    assert cv._watcher.current() is not None
    killed = cv._redis().client_kill_filter(_type="pubsub")
    assert killed >= 1
    assert eventually(lambda: cv._watcher.current() is None)


def test_with_redis_the_wsgi_entry_point_serves_stored_pages_like_django(
    client, shared_redis, monkeypatch
):
    from roadmap.ops.wsgi import with_page_cache

    application = with_page_cache(lambda environ, start_response: pytest.fail("not served"))
    stored = client.get("/shared/?junk=1")
    environ = client._base_environ(PATH_INFO="/shared/", REQUEST_METHOD="GET")
    started = []
    body = application(environ, lambda status, headers: started.append((status, headers)))
    status, headers = started[0]
    assert (status, b"".join(body)) == ("200 OK", stored.content)
    assert dict(headers)["ETag"] == stored["ETag"]
    assert dict(headers)["X-Page-Cache"] == "hit"
    environ = client._base_environ(
        PATH_INFO="/shared/", REQUEST_METHOD="GET", HTTP_IF_NONE_MATCH=stored["ETag"]
    )
    application(environ, lambda status, headers: started.append((status, headers)))
    assert started[1][0] == "304 Not Modified"


def test_with_redis_a_burst_of_searches_does_not_push_pages_out_of_memory(
    shared_redis, monkeypatch
):
    from django.test import RequestFactory

    from roadmap.ops import page_cache

    monkeypatch.setattr(page_cache, "LOCAL_QUERY_ENTRIES", 3)
    pages = page_cache.PageCache()

    def serve(url: str) -> str:
        key = page_cache.page_key(RequestFactory().get(url).META)
        version, entry = pages.find(key)
        if entry is None:
            pages.store(key, page_cache.Entry(version.token, url.encode(), {}, None, {}), 60)
        return key

    home = serve("/shared/")
    for n in range(10):
        serve(f"/shared/?q=search+{n}")
    cache.delete(home)  # only this process's memory still holds the page
    assert pages.find(home)[1].body == b"/shared/"


# --- the site's own pages ------------------------------------------------------------------------


@pytest.mark.urls("roadmap.urls")
@pytest.mark.parametrize("url", ["/", "/search/?q=testing"])
def test_the_home_and_search_pages_are_served_from_the_cache_the_second_time(
    client, site_content, url
):
    statuses = [client.get(url).get("X-Page-Cache") for _ in itertools.repeat(None, 2)]
    assert statuses == ["miss", "hit"], "this page must stay cacheable (no session or CSRF)"


# --- a learner's part of the site's pages ---------------------------------------------------------

JUNIOR, DEPLOYED = "qgn88sqegp", "giu85975il"  # in tests/content/valid
LEVEL_URL = "/tracks/web/junior/"
NOTE = "my zebra note 7731"
# What each personal field puts on a learner's page (and must never be in a stored entry).
PERSONAL = {
    "tick": f'id="tick-{DEPLOYED}" class="tick is-ticked"',
    "checkbox": f'class="tick-box" name="done-{DEPLOYED}" value="1" checked',
    "note": NOTE,
    "level count": f'<span id="level-count-{JUNIOR}" class="level-count">1 of ',
    "where you left off": "Where you left off",  # home and track pages only
}
PAGES = {
    "level page": (LEVEL_URL, {}),
    "level tab (htmx)": (LEVEL_URL, {"HX-Request": "true"}),
    "track page": ("/tracks/web/", {}),
    "home": ("/", {}),
}


@pytest.fixture
def learner(client, valid_loaded):
    """A learner who ticked one item and wrote a note on its level."""
    client.post(f"/progress/items/{DEPLOYED}/", {"done": "1", "next": LEVEL_URL})
    client.post(f"/progress/levels/{JUNIOR}/note/", {"text": NOTE, "next": LEVEL_URL})
    return client


def stored_entries() -> bytes:
    """Everything the cache holds, as bytes (local memory stores pickles)."""
    return b"".join(value for value in cache._cache.values())


@pytest.mark.urls("roadmap.urls")
@pytest.mark.parametrize("field", PERSONAL)
def test_a_learners_ticks_note_and_counts_show_but_are_never_stored(learner, field):
    expected = PERSONAL[field]
    shown = set()
    for name, (url, headers) in PAGES.items():
        for _ in range(2):  # rendered (a miss), then from the stored shared part (a hit)
            page = learner.get(url, headers=headers)
            assert page.status_code == 200, name
            cache_control = page["Cache-Control"]
            assert "private" in cache_control and "no-store" in cache_control, name
            # a browser reads no further than Content-Length: it must be the filled page's
            assert page.get("Content-Length", str(len(page.content))) == str(len(page.content))
            if expected in page.text:
                shown.add((name, page["X-Page-Cache"]))
    if field == "where you left off":
        assert {("track page", "hit"), ("home", "miss"), ("home", "hit")} <= shown
        assert not {name for name, _ in shown} & {"level page", "level tab (htmx)"}
        assert expected.encode() not in stored_entries()
        return
    assert ("level page", "hit") in shown or field == "level count"
    if field != "level count":  # a level tab's panel holds no tabs
        assert ("level tab (htmx)", "hit") in shown and ("level tab (htmx)", "miss") in shown
    # a learner's track page and home open their own level: the shared page for that level
    assert {("track page", "miss"), ("track page", "hit"), ("home", "hit")} <= shown
    assert expected.encode() not in stored_entries()
    assert NOTE.encode() not in stored_entries() and b" checked>" not in stored_entries()
    stranger = Client().get(LEVEL_URL)
    assert stranger["X-Page-Cache"] == "hit" and expected not in stranger.text


@pytest.mark.urls("roadmap.urls")
def test_a_learners_page_is_the_shared_page_with_their_part_filled_in(learner):
    mine = learner.get(LEVEL_URL).text
    theirs = Client().get(LEVEL_URL).text
    assert theirs.replace(" is-ticked", "").replace(" checked", "") != mine  # their own parts
    for text in PERSONAL.values():
        mine = mine.replace(text, "")
    assert len(mine) < len(theirs)  # the rest is the same page


@pytest.mark.urls("roadmap.urls")
def test_a_stranger_after_a_learner_gets_no_trace_of_them(learner):
    learner.get(LEVEL_URL)
    page = Client().get(LEVEL_URL)
    assert page["X-Page-Cache"] == "hit"
    for text in PERSONAL.values():
        assert text not in page.text
    assert "ETag" in page and "Cookie" in page["Vary"]


def test_runserver_and_gunicorn_run_the_same_application_with_the_fast_path():
    from django.core.servers.basehttp import get_internal_wsgi_application

    import roadmap.wsgi

    assert get_internal_wsgi_application() is roadmap.wsgi.application
    assert roadmap.wsgi.application.__qualname__.startswith("with_page_cache")


@pytest.mark.urls("roadmap.urls")
def test_with_the_database_down_a_learner_gets_the_503_that_says_so(learner):
    from django.db import OperationalError

    learner.get(LEVEL_URL)  # stored, and the learner's ticks and note kept by this process
    down = OperationalError("the database is down")
    with mock.patch("roadmap.progress.selectors._learner_state", side_effect=down):
        kept = learner.get(LEVEL_URL)  # what this process read a moment ago still stands
        later = time.monotonic() + 60  # the copy is no longer fresh: the database is asked
        with mock.patch("roadmap.progress.learner_state.time.monotonic", return_value=later):
            page = learner.get(LEVEL_URL)
    assert kept.status_code == 200 and NOTE in kept.text
    assert page.status_code == 503
    assert "cannot reach its database" in page.text and "ticks" in page.text
    assert Client().get(LEVEL_URL).status_code == 200  # strangers still get the stored page


@pytest.mark.urls("roadmap.urls")
def test_what_filling_a_learners_slots_writes_to_their_session_is_saved(learner, monkeypatch):
    from django.contrib.sessions.models import Session

    from roadmap.ops import page_cache

    def noting_the_visit(request, args):
        if hasattr(request, "session"):  # a learner's, not the stranger's fill
            request.session["visited"] = request.path  # as "since your last visit" does
        return original(request, args)

    original = page_cache.page_progress
    monkeypatch.setattr(page_cache, "page_progress", noting_the_visit)
    for _ in range(2):  # rendered, then from the stored shared part
        learner.get(LEVEL_URL)
        session = Session.objects.get(
            session_key=learner.cookies[settings.SESSION_COOKIE_NAME].value
        )
        assert session.get_decoded()["visited"] == LEVEL_URL
        Session.objects.filter(pk=session.pk).update(
            session_data=Session.objects.encode({**session.get_decoded(), "visited": ""})
        )


@pytest.mark.urls("roadmap.urls")
def test_a_session_cookie_that_cannot_name_a_session_is_never_looked_up(client, valid_loaded):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(LEVEL_URL)  # stored

    def session_lookups(value: str) -> int:
        client.cookies[settings.SESSION_COOKIE_NAME] = value
        with CaptureQueriesContext(connection) as queries:
            page = client.get(LEVEL_URL)
        assert page.status_code == 200 and page["X-Page-Cache"] == "hit"
        return sum("django_session" in q["sql"] for q in queries.captured_queries)

    for junk in ["x1234567890", "A" * 32, "abc" * 20, "é" * 32]:  # not 32 of a-z and 0-9
        assert session_lookups(junk) == 0, junk
    assert session_lookups("a" * 32) == 1  # one that could be a session is looked up


@pytest.mark.urls("roadmap.urls")
def test_a_learners_home_is_theirs_even_if_the_cache_fails_between_its_two_lookups(learner):
    from roadmap.ops import page_cache

    learner.get("/")  # the shared home and the one for their level, stored
    real, calls = page_cache.PageCache.find, []

    def failing_after_the_first(self, key):
        calls.append(key)
        if len(calls) > 1:  # the lookup of the page for their level
            raise ConnectionError("Redis went away")
        return real(self, key)

    with mock.patch.object(page_cache.PageCache, "find", failing_after_the_first):
        page = learner.get("/")
    assert len(calls) == 2
    assert page.status_code == 200 and "Where you left off" in page.text
