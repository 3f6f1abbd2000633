"""Shared fixtures: the real content, or an editable copy of the small valid tree, loaded."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from roadmap.content.loader import content_load

REPO = Path(settings.BASE_DIR)
FIXTURES = Path(__file__).parent / "content"
VALID = FIXTURES / "valid"


@pytest.fixture
def real_content(db):
    """The repository's own content/ loaded into the test database."""
    return content_load(root=settings.CONTENT_DIR, actor="tests")


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


@pytest.fixture
def without_page_cache(settings):
    """Every request renders, so a test sees what it just changed."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("PageCacheMiddleware")]


@pytest.fixture
def client():
    """A test client that, like every current browser, says its POSTs come from this site.

    The tick and note forms check `Sec-Fetch-Site` instead of a CSRF token (see
    roadmap/progress/origin.py); tests of that check build a bare `Client()` themselves.
    """
    return Client(headers={"Sec-Fetch-Site": "same-origin"})
