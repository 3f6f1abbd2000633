"""/start/: one question per step, each step a URL, and a recommendation with its reasons."""

import re

import pytest
from django.urls import reverse

from roadmap.catalog import models as m
from roadmap.start import selectors

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def catalog(valid_loaded, without_page_cache):
    return valid_loaded


def recommend(**answers: str) -> selectors.Recommendation:
    step = selectors.step_get(params=answers)
    assert step.current is None, "answer every question"
    return selectors.recommendation_get(answers=step.answers)


def reason(slug: str, track: str = "") -> str:
    """An answer's reason for `track`, or the reason for its level."""
    option = m.AnswerOption.objects.get(slug=slug)
    return option.reasons[track] if track else option.reason


def texts(reasons: list[selectors.Reason]) -> list[str]:
    return [r.text for r in reasons]


def where(recommendation: selectors.Recommendation) -> tuple[str, str]:
    start = recommendation.start
    return start.track.slug, start.level.slug


def test_the_track_with_the_most_points_wins_at_the_level_the_answers_imply(catalog):
    choice = recommend(experience="some", enjoy="interfaces")
    assert where(choice) == ("web", "junior")
    assert choice.first is None
    assert texts(choice.reasons) == [reason("some"), reason("interfaces", "web")]
    assert choice.url == "/tracks/web/junior/"


def test_the_highest_implied_level_sets_the_start(catalog):
    choice = recommend(experience="lots", enjoy="patterns")
    assert where(choice) == ("data", "mid-level")
    assert texts(choice.reasons) == [reason("lots"), reason("patterns", "data")]


def test_a_learner_below_the_entry_level_starts_on_the_track_it_builds_on(catalog):
    choice = recommend(experience="some", enjoy="patterns")  # data wins; data starts at Mid-level
    assert choice.track.slug == "data"
    assert where(choice) == ("web", "junior")
    assert (choice.stage.track.slug, choice.stage.level.slug) == ("data", "mid-level")
    assert choice.url == "/tracks/web/junior/"


def test_below_the_entry_level_of_a_track_that_builds_on_none_starts_at_its_entry(catalog):
    m.AnswerOption.objects.filter(slug="some").update(level=m.Level.objects.get(slug="beginner"))
    choice = recommend(experience="some", enjoy="interfaces")
    assert where(choice) == ("web", "junior")
    assert choice.first is None


def test_a_tie_goes_to_the_track_that_comes_first(catalog):
    m.AnswerOption.objects.filter(slug="patterns").update(scores={"data": 2, "web": 2}, serves=[])
    assert recommend(experience="lots", enjoy="patterns").track.slug == "web"


def test_without_an_implied_level_the_track_starts_at_its_entry_level(catalog):
    m.AnswerOption.objects.filter(slug="lots").update(level=None)
    choice = recommend(experience="lots", enjoy="interfaces")
    assert where(choice) == ("web", "junior")
    assert reason("lots") not in texts(choice.reasons)


def test_hidden_tracks_and_options_do_not_count(catalog):
    m.Track.objects.filter(slug="data").update(published=False)
    assert recommend(experience="lots", enjoy="patterns").track.slug == "web"
    m.AnswerOption.objects.filter(slug="patterns").update(published=False)
    step = selectors.step_get(params={"experience": "lots", "enjoy": "patterns"})
    assert step.current.slug == "enjoy"


def test_unknown_answers_are_ignored_and_the_first_unanswered_question_comes_next(catalog):
    step = selectors.step_get(params={"experience": "bogus", "enjoy": "interfaces", "x": "1"})
    assert step.current.slug == "experience"
    assert step.query == {"enjoy": "interfaces"}
    assert step.previous is None


def test_each_step_is_a_form_that_works_without_javascript(client, catalog):
    html = client.get(reverse("start")).text
    assert "Question 1 of 2" in html
    assert (
        '<h2 id="start-card-title" tabindex="-1">How much code have you written so far?</h2>'
        in (html)
    )
    assert '<form method="get" action="/start/"' in html
    assert (
        'type="radio" id="answer-experience-some" name="experience" value="some" required' in html
    )
    assert "Previous question" not in html

    html = client.get(reverse("start"), {"experience": "lots"}).text
    assert "Question 2 of 2" in html
    assert '<input type="hidden" name="experience" value="lots">' in html
    assert '<a href="/start/" hx-get="/start/"' in html  # back to question 1
    assert "Show my track" in html


def test_the_last_step_shows_the_recommendation_with_reasons_and_a_link_to_the_level(
    client, catalog
):
    html = client.get(reverse("start"), {"experience": "some", "enjoy": "patterns"}).text
    assert "Start with Web Development, Junior, on the way to Data" in html
    assert "Data begins at Mid-level" in html
    assert m.Track.objects.get(slug="data").entry_note in html
    assert f"<li>{reason('patterns', 'data')} <span" in html
    assert "You answered “Finding a pattern in a spreadsheet”" in html
    assert '<a href="/tracks/web/junior/">Open Web Development: Junior</a>' in html
    assert '<a href="/tracks/data/mid-level/">Then Data: Mid-level</a>' in html
    assert 'href="/start/?experience=some"' in html  # change the last answer
    assert len(re.findall(r"<h1[ >]", html)) == 1


def test_htmx_gets_only_the_card_and_history_restores_get_the_page(client, catalog):
    partial = client.get(reverse("start"), {"experience": "some"}, headers=HTMX)
    assert partial.text.startswith("<title>")
    assert '<section id="start-card"' in partial.text
    assert "<html" not in partial.text
    assert "HX-Request" in partial["Vary"]
    restore = client.get(reverse("start"), headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_the_page_says_so_when_there_are_no_questions(client, catalog):
    m.Question.objects.update(published=False)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert "The questionnaire is not available right now" in response.text


def test_start_is_in_the_main_navigation_and_a_button_in_the_home_hero(client, catalog):
    html = client.get(reverse("home")).text
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert '<a href="/start/">Find your track</a>' in nav
    hero = html[html.index('<div class="hero">') : html.index("</div>", html.index("hero-actions"))]
    assert '<a class="button" href="/start/">Find your track</a>' in hero
    start = client.get(reverse("start")).text
    assert '<a href="/start/" aria-current="page">Find your track</a>' in start


def test_the_home_page_counts_the_questions_the_questionnaire_asks(client, catalog):
    assert "answer 2 quick questions</a>" in client.get(reverse("home")).text
    question = m.Question.objects.get(slug="enjoy")
    question.published = False
    question.save()  # as the admin does: the next request sees it
    assert "answer 1 quick question</a>" in client.get(reverse("home")).text
