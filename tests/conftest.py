"""Shared fixtures: the fixture content trees under tests/content/, loaded.

Tests do not read the repository's own content/ (tests/test_real_content.py is the one guard
that does), so editors can add a track, a level, a guide, a course or a reading entry without
touching a test.

- `valid`: the smallest tree that uses every field of the schema; the content-pipeline tests edit
  copies of it.
- `site`: a small but complete site with every page type (tests/content/site/README.md); the page,
  view, guard and browser tests read it.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from content_trees import SITE, VALID
from django.db import transaction
from django.test import Client

from roadmap.content.loader import content_load
from roadmap.search.index import search_index_rebuild

# Every test under these folders carries the marker, so `-m "not browser and not multi_instance"`
# (make test-fast) leaves them all out, including tests added there later without one.
FOLDER_MARKERS = {"browser": "browser", "multi_instance": "multi_instance"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = item.path.relative_to(config.rootpath).parts
        if len(parts) > 2 and parts[0] == "tests" and parts[1] in FOLDER_MARKERS:
            item.add_marker(FOLDER_MARKERS[parts[1]])
    # The fault suite runs only when asked for by name (`-m faults`): a `-m` given on the command
    # line replaces the one in addopts, so without this `-m "not browser"` would start it too.
    if "faults" not in (config.option.markexpr or ""):
        faults = [item for item in items if item.get_closest_marker("faults")]
        if faults:
            config.hook.pytest_deselected(items=faults)
            items[:] = [item for item in items if not item.get_closest_marker("faults")]
    # `only_on("postgresql")` tests check what only PostgreSQL does (full-text ranking, pg_trgm
    # similarity), `only_on("sqlite")` what SQLite does instead. On the other database they are
    # deselected, not skipped: the suite runs once per database (CI: SQLite, then PostgreSQL),
    # and a skip would read as something missing.
    vendor = _database_vendor()
    elsewhere = [
        item
        for item in items
        if (marker := item.get_closest_marker("only_on")) and vendor not in marker.args
    ]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if item not in elsewhere]


def _database_vendor() -> str:
    from django.db import connection

    return connection.vendor


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Passwords hashed with a fast hasher: every admin and sign-in test creates a user, and the
    default (PBKDF2) takes a good fraction of a second per hash for no behaviour a test checks."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_catalogue():
    """Each test reads the catalogue afresh: the process keeps it per content version, and rows a
    test changes directly (`QuerySet.update()`, rolled back after it) bump no version."""
    from roadmap.catalog.catalogue import catalogue_forget

    catalogue_forget()
    yield
    catalogue_forget()


@pytest.fixture
def valid_tree(tmp_path) -> Path:
    """A copy of the small valid tree (tests/content/valid) that a test may edit."""
    root = tmp_path / "content"
    shutil.copytree(VALID, root)
    return root


@pytest.fixture
def valid_content(valid_tree, db) -> Path:
    """The copy of the small valid tree, loaded."""
    content_load(root=valid_tree, actor="tests")
    return valid_tree


def _loaded_for_the_module(root: Path, django_db_blocker):
    """`root` loaded (with its search index) in a transaction undone when the generator ends.

    Each test's own transaction nests inside (as a savepoint), so a test may change rows freely.
    Not for tests that need `transaction=True` (those flush the database).
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            content_load(root=root, actor="tests")
            search_index_rebuild()  # the load's on-commit rebuild never runs inside this block
            yield root
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_site(django_db_setup, django_db_blocker):
    """The site tree, loaded (with its search index) once per test module."""
    yield from _loaded_for_the_module(SITE, django_db_blocker)


@pytest.fixture(scope="module")
def module_valid(django_db_setup, django_db_blocker):
    """The small valid tree (not a copy: do not edit it), loaded with its search index once per
    test module, for modules that only read the catalogue; `valid_content` is the per-test copy
    for tests that edit files and load again."""
    yield from _loaded_for_the_module(VALID, django_db_blocker)


@pytest.fixture
def valid_loaded(module_valid, db) -> Path:
    """The valid tree, loaded, for one test (which may change rows; they are undone after it)."""
    return module_valid


@pytest.fixture
def site_content(module_site, db) -> Path:
    """The site tree, loaded, for one test (which may change rows; they are undone after it)."""
    return module_site


@pytest.fixture
def without_page_cache(settings):
    """Every request renders, as Django does without the page cache (slots filled in place), so
    a test sees what it just changed; `page_cache_on` is the cache as production runs it."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def page_cache_on(settings):
    """The page cache as production runs it (minus Redis): shared pages are stored and served."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.REDIS_URL = ""
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    """A test client that, like every current browser, says its POSTs come from this site.

    The tick and note forms check `Sec-Fetch-Site` instead of a CSRF token (see
    roadmap/progress/origin.py); tests of that check build a bare `Client()` themselves.
    """
    return Client(headers={"Sec-Fetch-Site": "same-origin"})


# --- production mode in child processes: what several test modules build once per run ---------

REPO = Path(__file__).resolve().parent.parent


def production_manage(*args: str, **env: str) -> None:
    """Run manage.py in production mode (DJANGO_DEBUG=0) with a throwaway secret."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "roadmap.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "a-test-only-secret-key-that-is-long-and-random-enough-0123456789abcdef",
        "ALLOWED_HOSTS": "roadmap.test",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {args}: {result.stdout}{result.stderr}"


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """Static files collected once per run as the image builds them (hashed, gzip and brotli),
    for the tests that serve the site in production mode. Django admin's third-party scripts
    (admin/js/vendor/: jQuery, Select2, XRegExp) are half the compression work and are left out:
    they test nothing the other files do not."""
    root = tmp_path_factory.mktemp("static")
    production_manage(
        "collectstatic",
        "--noinput",
        "--verbosity",
        "0",
        "--ignore",
        "vendor",
        STATIC_ROOT=str(root),
    )
    return root


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """An empty SQLite database, migrated once per run; a test copies it rather than migrating."""
    database = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    production_manage("migrate", "--verbosity", "0", DATABASE_URL=f"sqlite:///{database}")
    return database


@pytest.fixture(autouse=True)
def _no_learner_state_kept_from_another_test():
    """Each process keeps learners' ticks for a few seconds (progress/learner_state.py); tests
    that change progress behind the views' back must not see another test's copy."""
    from roadmap.progress import learner_state, visits

    learner_state._kept.clear()
    visits._kept.clear()


@pytest.fixture(autouse=True)
def _content_version_published_as_if_committed(settings, monkeypatch):
    """With Redis (CI's second pass) a new content version reaches Redis, where every process
    reads it, when its transaction commits; a test's transaction never commits. Publish at once,
    as the commit would, so what a test changes is on its next page, as it is without Redis."""
    if not settings.REDIS_URL:
        return
    from types import SimpleNamespace

    from roadmap.ops import content_version

    at_once = SimpleNamespace(on_commit=lambda func, robust=False: func())
    monkeypatch.setattr(content_version, "transaction", at_once)
