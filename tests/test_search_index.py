"""The search index: what it holds, where each entry links, and when it is rebuilt."""

import pytest
from django.core.management import call_command
from django.db import transaction

from roadmap.catalog import models as m
from roadmap.content.loader import content_load
from roadmap.search import index
from roadmap.search.index import search_index_rebuild
from roadmap.search.models import Kind, SearchEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(valid_content):
    search_index_rebuild()
    return valid_content


def entry(title: str) -> SearchEntry:
    return SearchEntry.objects.get(title=title)


def test_every_kind_of_thing_is_indexed(catalog):
    kinds = set(SearchEntry.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)


def test_each_entry_links_to_the_exact_level_and_anchor_where_it_appears(catalog):
    assert entry("Web Development").url == "/tracks/web/"
    assert entry("Web Development · Junior").url == "/tracks/web/junior/"
    project = entry("Personal portfolio site")
    assert project.url == "/tracks/web/junior/#item-yo4tyfi5dw"
    assert project.context == "Web Development · Junior · Project"
    assert project.body == "Deploying and responsive layout."
    assert entry("Database design").url == "/tracks/web/mid-level/#item-dxyirg0ou8"
    assert entry("Learn web development").url == "/courses/#course-mdn-learn"
    assert entry("Learn web development").context == (
        "Course · MDN Web Docs · for Web Development · Junior"
    )
    assert entry("The Pragmatic Programmer").url == "/reading/#reading-pragmatic-programmer"
    assert entry("Tutorial hell").url == "/#mistake-tutorial-hell"
    assert (
        entry("Tutorial hell").body
        == "Watching course after course without building anything of your own."
    )


def test_guides_and_articles_are_indexed_whole_and_by_section(catalog):
    assert entry("The level map").url == "/guides/levels/"
    section = SearchEntry.objects.get(kind=Kind.GUIDE, title="Junior")
    assert section.url == "/guides/levels/#junior"
    assert section.context == "Guide · The level map"
    assert section.body == "Finishes well-scoped tasks."
    article = SearchEntry.objects.get(kind=Kind.ARTICLE, title="A section")
    assert article.url == "/articles/sample-article/#a-section"


def test_hidden_things_are_not_indexed(catalog):
    m.StageItem.objects.filter(content_id="yo4tyfi5dw").update(published=False)
    m.Track.objects.filter(slug="data").update(published=False)
    m.Course.objects.filter(slug="mdn-learn").update(retired=True)
    search_index_rebuild()
    titles = set(SearchEntry.objects.values_list("title", flat=True))
    assert "Personal portfolio site" not in titles
    assert "Data" not in titles
    assert "SQL joins and window functions" not in titles  # on a hidden track's level
    assert "Learn web development" not in titles


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_rebuilds_the_index_once_when_the_transaction_commits(
    valid_tree, monkeypatch
):
    content_load(root=valid_tree, actor="tests")  # commits, and the index follows
    assert SearchEntry.objects.filter(title="Personal portfolio site").exists()
    rebuilds = []
    monkeypatch.setattr(
        index, "search_index_rebuild", lambda: rebuilds.append(search_index_rebuild())
    )
    with transaction.atomic():  # as the admin saves a change form with its inlines
        for item in m.StageItem.objects.filter(stage__content_id="qgn88sqegp"):
            item.text = f"{item.text} (edited)"
            item.save()
        assert rebuilds == []
    assert len(rebuilds) == 1
    assert SearchEntry.objects.filter(title="Personal portfolio site (edited)").exists()


def test_a_content_load_rebuilds_the_index_and_a_dry_run_does_not(
    valid_tree, django_capture_on_commit_callbacks
):
    root = valid_tree
    with django_capture_on_commit_callbacks(execute=True):
        content_load(root=root, actor="tests", dry_run=True)
    assert SearchEntry.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        content_load(root=root, actor="tests")
    assert SearchEntry.objects.filter(title="Personal portfolio site").exists()
    SearchEntry.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        content_load(root=root, actor="tests")  # nothing changed, but the index comes back
    assert SearchEntry.objects.count() > 0


def test_the_command_rebuilds_the_index(catalog, capsys):
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index")
    assert capsys.readouterr().out == f"Indexed {SearchEntry.objects.count()} entries.\n"


def test_each_entry_holds_the_short_forms_of_the_terms_it_uses_as_whole_words(catalog):
    assert entry("A to-do list with a database").terms == "db relational store"
    assert entry("Database design").terms == "db relational store"  # any case
    assert entry("Personal portfolio site").terms == ""


def test_a_content_load_applies_a_new_synonym_with_no_other_step(valid_tree):
    content_load(root=valid_tree, actor="tests")
    assert entry("Personal portfolio site").terms == ""
    path = valid_tree / "search_synonyms.yaml"
    path.write_text(
        path.read_text()
        + "  - id: p5vj2nx8qd\n    slug: portfolio\n    term: portfolio\n    also: [showcase]\n"
        + "  - id: h8cw3mf6zt\n    slug: request\n    term: request\n    also: [req]\n"
    )
    content_load(root=valid_tree, actor="tests")
    assert entry("Personal portfolio site").terms == "showcase"
    assert entry("HTTP: requests, responses and status codes").terms == "req"  # a plural counts
    for found in SearchEntry.objects.filter(terms__contains="req"):
        assert "request" in f"{found.title} {found.body}".lower()
