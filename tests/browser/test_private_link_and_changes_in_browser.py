"""A returning learner in a real browser: the private link carries their ticks to a fresh browser,
Back after a reset shows the truth, a content load that adds an item is news on their track, and
/progress/ and /changes/ pass axe in both themes."""

import re
import shutil
from datetime import timedelta

import pytest
from conftest import axe_violations
from content_trees import SITE
from django.utils import timezone
from playwright.sync_api import expect

from roadmap.catalog import models as m
from roadmap.content.loader import content_load
from roadmap.progress.models import Learner

pytestmark = pytest.mark.browser

LEVEL = "/tracks/web/junior/"
CRITERION, PROJECT = "rbcvtqbf3d", "mhnkz2k5ve"
NEW_PROJECT = (
    "  - id: brandnew01\n    title: A status page for your own services\n"
    "    teaches: Monitoring what you ship.\n"
)


def tick(page, item_id: str) -> None:
    with page.expect_response(re.compile(f"/progress/items/{item_id}/$")):
        page.locator(f"#tick-box-{item_id}").check()


def test_a_private_link_opened_in_a_new_browser_shows_the_same_ticks(page, make_page):
    page.goto(LEVEL)
    tick(page, CRITERION)
    tick(page, PROJECT)
    page.goto("/progress/")
    page.get_by_role("button", name="Make a private link").click()
    link = page.get_by_label("Your private link").input_value()
    assert re.fullmatch(r"http://[^/]+/progress/link/[A-Za-z0-9_-]{43}/", link)

    fresh = make_page(viewport={"width": 390, "height": 844})
    fresh.goto(LEVEL)
    expect(fresh.locator(f"#tick-box-{CRITERION}")).not_to_be_checked()
    fresh.goto(link)
    expect(fresh).to_have_url(re.compile(r"/progress/link/open/$"))  # the token is gone
    fresh.get_by_role("button", name="Open it in this browser").click()
    expect(fresh).to_have_url(re.compile(r"/progress/$"))
    expect(
        fresh.get_by_text("This browser now shows the progress of your private link")
    ).to_be_visible()
    fresh.goto(LEVEL)
    expect(fresh.locator(f"#tick-box-{CRITERION}")).to_be_checked()
    expect(fresh.locator(f"#tick-box-{PROJECT}")).to_be_checked()


def test_back_after_a_reset_shows_no_ticks(page):
    page.goto(LEVEL)
    tick(page, CRITERION)
    page.goto(LEVEL)  # a full page that shows the tick, now in the history
    expect(page.locator(f"#tick-box-{CRITERION}")).to_be_checked()
    page.goto("/progress/")
    page.get_by_label("Yes, delete all my ticks and notes").check()
    page.get_by_role("button", name="Delete all my progress").click()
    expect(page.get_by_text("Your ticks and notes are deleted.")).to_be_visible()
    page.go_back()  # the /progress/ page before the reset
    page.go_back()  # the level page that showed the tick
    expect(page).to_have_url(re.compile(f"{LEVEL}$"))
    expect(page.locator(f"#tick-box-{CRITERION}")).not_to_be_checked()


def _load_with_a_new_project(tmp_path) -> None:
    root = tmp_path / "content"
    shutil.copytree(SITE, root)
    path = root / "tracks/web/junior.yaml"
    text = path.read_text()
    path.write_text(text.replace("projects:\n", "projects:\n" + NEW_PROJECT, 1))
    content_load(root=root, actor="tests")


def test_a_content_load_that_adds_a_project_is_news_on_the_learners_track(page, tmp_path):
    page.goto(LEVEL)
    tick(page, CRITERION)
    long_ago = timezone.now() - timedelta(hours=2)
    Learner.objects.update(last_seen_at=long_ago, changes_since=long_ago)
    _load_with_a_new_project(tmp_path)

    page.goto("/tracks/web/")
    news = page.get_by_role("complementary", name="Since your last visit")
    expect(news).to_contain_text("1 new project in Web Development · Junior")
    news.get_by_role("link", name="1 new project in Web Development · Junior").click()
    expect(page).to_have_url(re.compile(f"{LEVEL}$"))
    expect(page.get_by_text("A status page for your own services")).to_be_visible()

    feed = page.request.get("/changes.atom")
    assert feed.ok and "A status page" not in feed.text()  # entries name counts, not every item
    assert "1 new project in Web Development · Junior" in feed.text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_progress_and_changes_have_no_accessibility_violations(make_page, tmp_path, scheme):
    page = make_page(color_scheme=scheme, reduced_motion="reduce")
    page.goto(LEVEL)
    tick(page, CRITERION)
    tick(page, PROJECT)
    page.goto("/progress/")
    page.get_by_role("button", name="Make a private link").click()
    expect(page.get_by_label("Your private link")).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/progress/")
    assert axe_violations(page) == []
    _load_with_a_new_project(tmp_path)
    assert m.ContentChange.objects.exists()
    page.goto("/changes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed")
    assert axe_violations(page) == []
    Learner.objects.update(changes_since=timezone.now() - timedelta(hours=2))
    page.goto("/tracks/web/")
    assert axe_violations(page) == []
