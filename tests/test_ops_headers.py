"""Security headers on every response: pages, errors, admin and /healthz.

HSTS and the HTTPS redirect belong to production mode; test_production_settings.py checks them.
"""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
URLS = ["/", "/tracks/no-such-track/", "/admin/login/", "/healthz"]


@pytest.fixture
def responses(client, site_content):
    return {url: client.get(url) for url in URLS}


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_security_headers(responses, url):
    headers = responses[url].headers
    assert headers["Content-Security-Policy"] == POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_the_policy_allows_no_inline_script_or_style_and_no_other_origin():
    for directive, sources in settings.SECURE_CSP.items():
        assert "'unsafe-inline'" not in sources, directive
        assert "'unsafe-eval'" not in sources, directive
        assert all(source in ("'self'", "'none'", "data:") for source in sources), directive


def test_pages_carry_no_inline_script_or_style(responses):
    for url in ("/", "/admin/login/"):
        html = responses[url].content.decode()
        assert "<script>" not in html and "<style" not in html, url
        assert " style=" not in html and " onclick=" not in html, url
