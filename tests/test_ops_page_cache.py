"""The page cache: what it stores, what it never stores, and how a content change retires pages.

The views under test live in this module (`pytest.mark.urls`), so the rules are checked apart from
the site's pages; one guard at the end checks that the site's home and search pages are cacheable.
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
from django.test import override_settings
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from roadmap.catalog.models import Level
from roadmap.content.loader import content_load
from roadmap.ops import content_version as cv
from roadmap.ops.content_version import content_version_bump, content_version_get
from roadmap.ops.page_cache import page_cache_exempt

RENDERS = Counter()


def counted(name: str):
    RENDERS[name] += 1
    return f"{name} #{RENDERS[name]}"


def shared(request):
    return HttpResponse(counted("shared"))


@vary_on_headers("HX-Request")
def two_shapes(request):
    return HttpResponse(counted("partial" if request.headers.get("HX-Request") else "full"))


@page_cache_exempt
def exempt(request):
    return HttpResponse(counted("exempt"))


def with_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


def reads_session(request):
    return HttpResponse(f"visits: {request.session.get('visits', 0)}")


@cache_control(private=True)
def private(request):
    return HttpResponse(counted("private"))


def missing(request):
    return HttpResponse(counted("missing"), status=404)


def levels(request):
    return HttpResponse(", ".join(Level.objects.values_list("name", flat=True)))


urlpatterns = [
    path("shared/", shared),
    path("two-shapes/", two_shapes),
    path("exempt/", exempt),
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


def test_a_query_string_is_part_of_the_address(client):
    assert client.get("/shared/?a=1").content == b"shared #1"
    assert client.get("/shared/?a=2").content == b"shared #2"
    assert client.get("/shared/?a=1").content == b"shared #1"


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


def test_a_view_can_opt_out(client):
    client.get("/exempt/")
    response = client.get("/exempt/")
    assert response.content == b"exempt #2"
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


def test_requests_with_a_session_cookie_are_rendered_for_that_visitor(client):
    client.get("/shared/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
    response = client.get("/shared/")
    assert response.content == b"shared #2"
    assert "X-Page-Cache" not in response


def test_conditional_requests_get_304_from_the_etag_or_the_last_modified_date(client):
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
    from roadmap.ops import wsgi

    monkeypatch.setattr(wsgi, "pages", wsgi.PageCache())
    stored = client.get("/shared/")
    environ = client._base_environ(PATH_INFO="/shared/", REQUEST_METHOD="GET")
    started = []
    body = wsgi.application(environ, lambda status, headers: started.append((status, headers)))
    status, headers = started[0]
    assert (status, b"".join(body)) == ("200 OK", stored.content)
    assert dict(headers)["ETag"] == stored["ETag"]
    assert dict(headers)["X-Page-Cache"] == "hit"
    environ = client._base_environ(
        PATH_INFO="/shared/", REQUEST_METHOD="GET", HTTP_IF_NONE_MATCH=stored["ETag"]
    )
    wsgi.application(environ, lambda status, headers: started.append((status, headers)))
    assert started[1][0] == "304 Not Modified"


def test_with_redis_a_burst_of_searches_does_not_push_pages_out_of_memory(
    shared_redis, monkeypatch
):
    from django.test import RequestFactory

    from roadmap.ops import page_cache

    monkeypatch.setattr(page_cache, "LOCAL_QUERY_ENTRIES", 3)
    pages = page_cache.PageCache()

    def serve(url: str) -> str:
        request = RequestFactory().get(url)
        key = pages.key(request.META)
        version, page = pages.find(key)
        if page is None:
            pages.store(request, HttpResponse(url), key, version)
        return key

    home = serve("/shared/")
    for n in range(10):
        serve(f"/shared/?q=search+{n}")
    cache.delete(home)  # only this process's memory still holds the page
    assert pages.find(home)[1][0] == b"/shared/"


# --- the site's own pages ------------------------------------------------------------------------


@pytest.mark.urls("roadmap.urls")
@pytest.mark.parametrize("url", ["/", "/search/?q=testing"])
def test_the_home_and_search_pages_are_served_from_the_cache_the_second_time(
    client, site_content, url
):
    statuses = [client.get(url).get("X-Page-Cache") for _ in itertools.repeat(None, 2)]
    assert statuses == ["miss", "hit"], "this page must stay cacheable (no session or CSRF)"
