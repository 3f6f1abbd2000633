"""Shared fixtures: the real content loaded once per test that asks for it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from roadmap.content.loader import content_load

REPO = Path(settings.BASE_DIR)
FIXTURES = Path(__file__).parent / "content"


@pytest.fixture
def real_content(db):
    """The repository's own content/ loaded into the test database."""
    return content_load(root=settings.CONTENT_DIR, actor="tests")


@pytest.fixture
def client():
    """A test client that, like every current browser, says its POSTs come from this site.

    The tick and note forms check `Sec-Fetch-Site` instead of a CSRF token (see
    roadmap/progress/origin.py); tests of that check build a bare `Client()` themselves.
    """
    return Client(headers={"Sec-Fetch-Site": "same-origin"})
