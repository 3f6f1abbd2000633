"""Shared fixtures: the real content loaded once per test that asks for it."""

from pathlib import Path

import pytest
from django.conf import settings

from roadmap.content.loader import content_load

REPO = Path(settings.BASE_DIR)
FIXTURES = Path(__file__).parent / "content"


@pytest.fixture
def real_content(db):
    """The repository's own content/ loaded into the test database."""
    return content_load(root=settings.CONTENT_DIR, actor="tests")
