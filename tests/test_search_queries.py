"""Search queries and the results page: grouping, highlighting, strange input, query counts.
These tests run on SQLite and on PostgreSQL (full-text search), so they ask only what both do."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.search import selectors

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
MAX_QUERIES = 6


@pytest.fixture(autouse=True)
def catalog(valid_loaded, without_page_cache):
    """The valid tree and its search index (built once for the module)."""


def search(client, query: str, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    assert len(queries) <= MAX_QUERIES, [q["sql"] for q in queries.captured_queries]
    return response


def titles(query: str, kind: str = "") -> list[str]:
    results = selectors.search_results_get(query=query, kind=kind)
    return [str(r.title) for g in results.groups for r in g.results]


def test_results_are_grouped_by_kind_in_a_fixed_order(client):
    results = selectors.search_results_get(query="database")
    assert [g.kind for g in results.groups] == ["skill", "project"]
    assert [g.label for g in results.groups] == ["Skills", "Projects"]
    html = search(client, "database").text
    assert '<h2 id="results-skill">Skills <span class="muted">(1)</span></h2>' in html
    assert html.index("results-skill") < html.index("results-project")


def test_every_word_must_match_and_case_does_not_matter(client):
    assert "A <mark>to-do</mark> list with a <mark>database</mark>" in titles("DATABASE to-do")
    assert titles("database nonsenseword") == []


def test_a_match_is_highlighted_and_its_surroundings_escaped():
    assert selectors.highlight("Fish & <Chips> & fish", ["fish"]) == (
        "<mark>Fish</mark> &amp; &lt;Chips&gt; &amp; <mark>fish</mark>"
    )
    assert selectors.highlight("a &amp; b", ["amp"]) == "a &amp;<mark>amp</mark>; b"
    assert selectors.highlight("<b>", ["<b>"]) == "<mark>&lt;b&gt;</mark>"
    assert selectors.highlight("text", []) == "text"


def test_a_long_text_is_cut_to_a_snippet_around_the_first_match():
    text = " ".join(f"word{n}" for n in range(200)) + " needle " + "tail " * 50
    cut = selectors.snippet(text, ["needle"])
    assert "needle" in cut
    assert cut.startswith("… ") and cut.endswith(" …")
    assert len(cut) <= selectors.SNIPPET_LENGTH + 4


def test_each_result_links_to_its_anchor_and_names_where_it_is(client):
    html = search(client, "portfolio").text
    assert (
        '<a href="/tracks/web/junior/#item-yo4tyfi5dw">Personal <mark>portfolio</mark> site</a>'
    ) in html
    assert "Web Development · Junior · Project" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"unclosed quote',
        "'; DROP TABLE search_searchentry; --",
        "<script>alert(1)</script>",
        "🚀🔥",
        "x" * 5000,
        "\x00\x01 nul",
        "a:* & !b | (c",
        "-",
        "%_%",
        "C# .NET C++ node.js",
        "or and not",
    ],
    ids=[
        "empty",
        "spaces",
        "quote",
        "sql",
        "html",
        "emoji",
        "very-long",
        "control",
        "tsquery-syntax",
        "dash",
        "like-wildcards",
        "punctuated-words",
        "stop-words",
    ],
)
def test_strange_queries_give_a_sensible_page(client, query):
    html = search(client, query).text
    assert "<h1>Search</h1>" in html
    assert "<script>alert" not in html
    assert 'id="search-status"' in html


def test_an_empty_query_asks_for_words_and_finds_nothing(client):
    html = search(client, "").text
    assert "Type a word or two" in html
    assert "result-group" not in html


def test_a_query_with_no_matches_says_so(client):
    html = search(client, "🚀").text
    assert "Nothing matches “🚀”." in html


def test_sql_and_like_wildcards_are_searched_as_text():
    assert titles("%_%") == []
    assert titles("'; DROP TABLE x; --") == []


def test_a_very_long_query_is_cut_at_200_characters(client):
    html = search(client, "database " + "x" * 500).text
    assert 'maxlength="200"' in html
    assert "Only the first 200 characters were searched." in html
    query, cut = selectors.search_query_clean("y" * 500)
    assert (len(query), cut) == (200, True)


def test_one_kind_shows_all_of_its_results_and_links_back(client):
    results = selectors.search_results_get(query="public", per_kind=1)
    projects = next(g for g in results.groups if g.kind == "project")
    assert projects.more == projects.total - 1 > 0
    html = search(client, "public", kind="project").text
    assert html.count('class="result-group"') == 1
    assert '<input type="hidden" name="kind" value="project">' in html
    assert "Results of every kind" in html
    assert selectors.search_results_get(query="public", kind="bogus").kind == ""


def test_htmx_gets_the_results_with_the_status_line_out_of_band(client):
    response = client.get(reverse("search"), {"q": "portfolio"}, headers=HTMX)
    assert response.text.startswith("<title>Search: portfolio — Roadmap</title>")
    assert '<p id="search-status" hx-swap-oob="innerHTML">1 result for “portfolio”.</p>' in (
        response.text
    )
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]
    restore = client.get(reverse("search"), headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_the_search_page_is_a_plain_form_that_htmx_makes_live(client):
    html = search(client, "").text
    assert 'role="search" aria-label="Search the roadmap" method="get" action="/search/">' in html
    assert 'hx-get="/search/" hx-trigger="input changed delay:300ms"' in html
    assert 'hx-replace-url="true"' in html


def test_live_suggestions_list_the_best_few_and_link_to_all_results(client):
    response = client.get(reverse("search_suggest"), {"q": "database"}, headers=HTMX)
    assert response.status_code == 200
    assert "<mark>Database</mark> design" in response.text
    assert '<a href="/search/?q=database">All results for “database”</a>' in response.text
    empty = client.get(reverse("search_suggest"), {"q": ""}, headers=HTMX)
    assert empty.text.strip() == ""


def test_suggestions_without_htmx_send_you_to_the_results_page(client):
    response = client.get(reverse("search_suggest"), {"q": "a b"})
    assert (response.status_code, response["Location"]) == (302, "/search/?q=a+b")


def test_the_search_box_partial_is_a_plain_form_to_the_results_page():
    from django.template.loader import render_to_string

    html = render_to_string("search/_box.html")
    assert 'role="search" aria-label="Site" method="get" action="/search/">' in html
    assert 'hx-get="/search/suggest/"' in html
    assert 'id="search-suggestions"' in html


def test_a_word_being_typed_matches_as_a_prefix():
    assert "Personal <mark>portf</mark>olio site" in titles("portf")


# Full-text search is PostgreSQL's: deselected elsewhere (tests/conftest.py), never skipped.
postgres_only = pytest.mark.only_on("postgresql")


@postgres_only
def test_postgres_matches_other_forms_of_a_word():
    assert "You deployed a small site from scratch." in titles("deploying", kind="ready_when")


@postgres_only
def test_postgres_understands_phrases_and_exclusions():
    assert titles('"small site"', kind="ready_when") == [
        "You deployed a <mark>small</mark> <mark>site</mark> from scratch."
    ]
    assert "A to-do list with a database" not in titles("list -database", kind="project")


@postgres_only
def test_postgres_ranks_a_match_in_the_title_above_one_in_the_text():
    found = [str(r.title) for r in selectors.search_suggestions_get(query="deploying", limit=20)]
    in_title = found.index("You deployed a small site from scratch.")
    assert in_title < found.index("Personal portfolio site")  # matches in its text only


# --- the words learners use (search_synonyms.yaml) and typos ----------------------------------


def plain(found: list[str]) -> list[str]:
    return [title.replace("<mark>", "").replace("</mark>", "") for title in found]


def test_a_short_form_finds_what_spells_the_term_out(client):
    assert "A to-do list with a database" in plain(titles("db", kind="project"))
    assert "Database design" in plain(titles("db", kind="skill"))
    html = search(client, "js").text
    assert "The basics of HTML, CSS and <mark>JavaScript</mark>." in html


def test_a_phrase_learners_type_finds_the_term():
    assert plain(titles("relational store", kind="project")) == ["A to-do list with a database"]


def test_a_short_form_still_needs_every_other_word_to_match():
    assert titles("db", kind="project") != []
    assert titles("db zebra", kind="project") == []


@pytest.mark.only_on("sqlite")
def test_without_pg_trgm_a_misspelling_finds_nothing_and_the_page_says_so(client):
    html = search(client, "databse").text
    assert "Nothing matches “databse”. Try fewer words" in html
    assert selectors.search_suggestions_get(query="databse") == []


@pytest.mark.only_on("postgresql")
def test_postgres_finds_a_misspelled_word_by_trigram_similarity(client):
    results = selectors.search_results_get(query="databse")
    assert results.near
    found = plain([str(r.title) for g in results.groups for r in g.results])
    assert "A to-do list with a database" in found
    assert "Nothing matches “databse” as typed;" in search(client, "databse").text
    assert "Personal portfolio site" in plain(titles("portfollio"))
    suggested = [str(r.title) for r in selectors.search_suggestions_get(query="portfollio")]
    assert "Personal portfolio site" in plain(suggested)


@pytest.mark.only_on("postgresql")
def test_postgres_tries_near_spellings_only_when_nothing_matches_as_typed():
    results = selectors.search_results_get(query="database")
    assert not results.near
    assert titles("qqqqzzzz") == []  # nothing near it either


def test_the_term_a_short_form_stands_for_is_marked_and_named(client):
    assert "A to-do list with a <mark>database</mark>" in titles("db", kind="project")
    html = search(client, "db").text
    assert "for “db” (also database)." in html
    suggested = [str(r.title) for r in selectors.search_suggestions_get(query="db", limit=20)]
    assert "A to-do list with a <mark>database</mark>" in suggested
    assert "(also" not in search(client, "database").text
