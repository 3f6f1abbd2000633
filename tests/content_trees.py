"""Where the fixture content trees live (a plain module: test files import it by name, which they
cannot safely do with a conftest, as tests/ and tests/browser/ both have one)."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "content"
VALID = FIXTURES / "valid"  # the smallest tree using every field; pipeline tests edit copies
SITE = FIXTURES / "site"  # a small complete site with every page type; see its README.md
