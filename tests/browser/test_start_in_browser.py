"""The /start/ questionnaire in a real browser: one question at a time with htmx, each step a
URL that Back returns to, and the recommendation leading to its level; the same without
JavaScript."""

import re

import pytest
from conftest import axe_violations
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ANSWERS = [  # (question slug, answer label): a beginner who likes data and wants to work on AI
    ("experience", "None yet"),
    ("enjoy", "Finding a pattern in a spreadsheet"),
    ("goal", "To work with machine learning and AI"),
]
LAST = f"Question {len(ANSWERS)} of {len(ANSWERS)}"


def answer_all(page) -> None:
    for n, (slug, label) in enumerate(ANSWERS, start=1):
        expect(page.locator("#start-card .eyebrow")).to_have_text(f"Question {n} of {len(ANSWERS)}")
        page.get_by_label(label).check()
        page.locator("#start-card button[type=submit]").click()
        expect(page).to_have_url(re.compile(f"[?&]{slug}="))


def test_the_questionnaire_swaps_one_question_at_a_time_and_recommends_a_level(page):
    page.goto("/start/")
    page.evaluate("window.__sameDocument = true")
    answer_all(page)
    heading = page.locator("#start-card-title")
    expect(heading).to_have_text(
        "Start with Web Development, Beginner, on the way to Data Analysis"
    )
    expect(heading).to_be_focused()
    expect(page.locator(".start-reasons").first.locator("li")).to_contain_text(
        [
            "You are starting from scratch, so the first level fits.",
            "Machine learning and AI work happens on the data track.",
            "Spotting patterns is what data work is about.",
        ]
    )
    expect(page.get_by_role("heading", name="Runner-up: Web Development")).to_be_visible()
    assert page.evaluate("window.__sameDocument === true")  # htmx swapped the card each time

    page.go_back()  # the last question again, from its own URL
    expect(page.locator("#start-card .eyebrow")).to_have_text(LAST)
    page.go_forward()
    expect(heading).to_contain_text("Start with Web Development, Beginner")

    page.get_by_role("link", name="Open Web Development: Beginner").click()
    expect(page).to_have_url(re.compile(r"/tracks/web/beginner/$"))
    expect(page.locator("#level-title")).to_have_text("Web Development: Beginner")


def test_the_questionnaire_works_without_javascript(make_page):
    page = make_page(java_script_enabled=False)
    page.goto("/start/")
    answer_all(page)
    expect(page.locator("#start-card-title")).to_contain_text("on the way to Data Analysis")
    page.get_by_role("link", name="Change my last answer").click()
    expect(page.locator("#start-card .eyebrow")).to_have_text(LAST)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_question_and_the_recommendation_have_no_accessibility_violations(make_page, scheme):
    page = make_page(color_scheme=scheme, reduced_motion="reduce")
    page.goto("/start/")
    assert axe_violations(page) == []
    answer_all(page)
    assert axe_violations(page) == []
