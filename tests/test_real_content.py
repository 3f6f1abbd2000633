"""The one guard over the repository's own content/: it is complete, it loads, and every page it
makes answers. Nothing here counts or quotes the content, so an editor can add a track, a level, a
guide, a course or a reading entry without touching a test. Every other test uses the fixture
trees under tests/content/.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from start_answers import every_recommendation_checked
from webpages import Outline, public_urls

from roadmap.content.jsonschema import schema_texts
from roadmap.content.loader import content_load
from roadmap.content.tree import read_tree
from roadmap.search.index import search_index_rebuild
from roadmap.start import selectors as start


@pytest.fixture(scope="module")
def real_content(django_db_setup, django_db_blocker):
    """content/ loaded once for this module, in a transaction undone after its last test."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            content_load(root=settings.CONTENT_DIR, actor="tests")
            search_index_rebuild()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def loaded(real_content, db, without_page_cache):
    """For one test: content/ loaded, every request rendered."""


def test_the_content_is_written_in_us_english():
    """The editor guide's spelling choice holds, as an editor's pull request checks it."""
    call_command("check_spelling")


def test_the_content_passes_the_strict_completeness_report(capsys):
    call_command("content_report", "--strict")
    assert "every stage has every section" in capsys.readouterr().out


@pytest.mark.usefixtures("loaded")
def test_every_page_the_content_makes_answers_with_one_h1(client):
    urls = [*public_urls(), reverse("start"), reverse("search"), reverse("progress:page")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(Outline(response.text).h1s()) == 1, url
    sitemap = client.get(reverse("sitemap"))
    assert sitemap.status_code == 200
    assert sorted(re.findall(r"<loc>http://testserver(.*?)</loc>", sitemap.text)) == sorted(
        public_urls()
    )


@pytest.mark.usefixtures("loaded")
def test_every_answer_to_the_questionnaire_leads_to_a_level_that_answers(client):
    questions = start.step_get(params={}).questions
    first = {q.slug: q.visible_options[0].slug for q in questions}
    seen = set()
    for question in questions:
        for option in question.visible_options:
            answers = {**first, question.slug: option.slug}
            html = client.get(reverse("start"), answers).text
            (url,) = re.findall(r'<p class="card-action"><a href="([^"]+)">', html)
            if url not in seen:
                seen.add(url)
                assert client.get(url).status_code == 200, (answers, url)


@pytest.mark.usefixtures("loaded")
def test_every_combination_of_answers_argues_only_for_its_track_and_honors_each_goal():
    """The same checks as on the fixture tree (tests/start_answers.py), on every combination."""
    tried, failures, runners = every_recommendation_checked()
    assert tried > 0
    assert failures == {}
    assert runners == tried, "every recommendation has a runner-up with its reason"


def test_the_real_content_validates_with_zero_errors():
    assert [str(error) for error in read_tree(Path(settings.CONTENT_DIR)).errors] == []


def test_the_committed_json_schema_matches_the_models():
    directory = Path(settings.CONTENT_DIR) / "schema"
    for name, text in schema_texts().items():
        committed = (directory / name).read_text() if (directory / name).exists() else None
        assert committed == text, f"content/schema/{name} is stale: run manage.py content_schema"


def test_every_content_file_names_its_schema():
    for path in Path(settings.CONTENT_DIR).rglob("*"):
        if path.suffix in {".yaml", ".md"} and path.name != "README.md":
            head = path.read_text().splitlines()[:2]
            assert any(line.startswith("# yaml-language-server: $schema=") for line in head), path
