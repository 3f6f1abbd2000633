"""Redis as a cache that may vanish, and an index and a cache key that are never stale."""

import json
import socket

import pytest

from roadmap.content.loader import content_load
from roadmap.ops import page_cache
from roadmap.ops.models import ContentVersion
from roadmap.ops.redis_cache import RedisCache
from roadmap.search.index import search_index_stale
from roadmap.search.models import SearchEntry


def stored_version() -> str:
    """The version row (Redis learns of it on commit, which a test's transaction never does)."""
    return ContentVersion.objects.get().token


def nothing_listening() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


@pytest.fixture
def unreachable_redis():
    return RedisCache(
        nothing_listening(),
        {"OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1}},
    )


def test_a_redis_that_is_down_answers_every_call_as_a_miss(unreachable_redis):
    cache = unreachable_redis
    assert cache.get("page", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("page", "x") is None
    assert cache.add("page", "x") is False
    assert cache.delete("page") is False


def test_after_a_failure_the_breaker_skips_redis_and_health_says_why(unreachable_redis):
    cache = unreachable_redis
    assert cache.breaker.allows_call()
    cache.get("page")
    assert not cache.breaker.allows_call()  # the next calls do not wait on Redis
    assert cache.breaker.reason.startswith("ConnectionError")
    assert cache.probe().startswith("ConnectionError")  # /healthz asks anyway


@pytest.mark.django_db
def test_a_load_rebuilds_the_index_inside_its_transaction(valid_tree):
    content_load(root=valid_tree, actor="tests")
    guide = valid_tree / "guides" / "levels.md"
    text = guide.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    guide.write_text(text.replace(title, "title: Zanzibarite levels", 1))
    version = stored_version()
    content_load(root=valid_tree, actor="tests")
    # No on_commit callback has run (the test's transaction never commits): the index was
    # rebuilt in the load itself, and the version bumped with it.
    assert SearchEntry.objects.filter(title="Zanzibarite levels").exists()
    assert stored_version() != version
    assert not search_index_stale()


@pytest.mark.django_db
def test_a_load_that_changes_nothing_repairs_a_stale_index(valid_tree):
    content_load(root=valid_tree, actor="tests")
    SearchEntry.objects.filter(kind="guide").delete()  # as a load killed before a rebuild left it
    version = stored_version()
    plan = content_load(root=valid_tree, actor="tests")
    assert not plan.changed
    assert SearchEntry.objects.filter(kind="guide").exists()
    assert not search_index_stale()
    assert stored_version() != version  # searches cached from the stale index retire


def test_the_code_version_follows_the_static_manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    manifest = tmp_path / "staticfiles.json"
    versions = []
    for name in ("css/site.4f2a.css", "css/site.9b1c.css"):
        manifest.write_text(json.dumps({"paths": {"css/site.css": name}}))
        page_cache.code_version.cache_clear()
        versions.append(page_cache.code_version())
    page_cache.code_version.cache_clear()
    assert versions[0] != versions[1]
