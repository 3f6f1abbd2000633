"""Django admin under the site's Content-Security-Policy, which allows no inline script or style.

Django 6.1's admin needs no inline allowance: its scripts are files that read their data from
`data-` attributes. This drives the screens an admin uses in a real Chromium and fails on any
policy violation.
"""

import pytest
from django.conf import settings

from roadmap.catalog.models import Stage, Track

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective}: ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def admin_page(browser, site, admin_client):
    """A page signed in as an admin (the session of pytest-django's `admin_client`)."""
    session = admin_client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(base_url=site)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status}: {r.url}"))
    yield page, errors
    context.close()


def test_the_admin_screens_work_without_any_policy_violation(admin_page):
    page, errors = admin_page
    track = Track.objects.order_by("order").first()
    stage = Stage.objects.filter(track=track).first()
    for path in (
        "/admin/",
        "/admin/catalog/track/",
        f"/admin/catalog/track/{track.pk}/change/",
        "/admin/catalog/track/add/",
        f"/admin/catalog/stage/{stage.pk}/change/",
        "/admin/catalog/contentload/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path
    # The change form's scripts ran: the stage's inline item rows got their "Add another" link.
    page.goto(f"/admin/catalog/stage/{stage.pk}/change/")
    assert page.locator(".add-row a").count() >= 1
    assert errors == []
