"""Resources that earn their place: labels, kinds and hours, the limits, and the filters.

Everything here runs on the small valid tree (tests/content/valid): the web track's Junior stage
offers two courses as "pick one" and reading under "start here" and "go deeper"; its Mid-level
stage has one paid course and one book under "go deeper".
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from webpages import Outline, html_validate, needs_html_validate

from roadmap.catalog import models as m
from roadmap.catalog.models import effort_label
from roadmap.content.exporter import content_export
from roadmap.content.loader import content_load
from roadmap.content.quality import quality_problems
from roadmap.content.tree import read_tree

pytestmark = pytest.mark.usefixtures("without_page_cache")


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def errors_of(root: Path) -> list[str]:
    return [str(error).split("content/", 1)[-1] for error in read_tree(root).errors]


def course_slugs(html: str) -> list[str]:
    return re.findall(r'<li id="course-([a-z0-9-]+)"', html)


def results(html: str) -> str:
    return re.search(r'<section id="[a-z]+-results".*?</section>', html, re.S).group(0)


# --- the files: kind, effort and labels ------------------------------------------------------


def test_kind_and_effort_are_required_for_every_course_and_reading_entry(valid_tree):
    edit(valid_tree, "courses.yaml", "    kind: docs\n", "")
    edit(valid_tree, "reading.yaml", "    effort: {min: 10, max: 15}\n", "")
    assert errors_of(valid_tree) == [
        "courses.yaml:12: courses[1].kind: field required",
        "reading.yaml:12: reading[1].effort: field required",
    ]


def test_effort_and_kind_reject_what_an_editor_might_mistype(valid_tree):
    edit(valid_tree, "courses.yaml", "effort: {min: 4, max: 8}", "effort: {min: 8, max: 4}")
    edit(valid_tree, "courses.yaml", "kind: video", "kind: podcast")
    errors = errors_of(valid_tree)
    assert errors[0] == "courses.yaml:20: courses[1].effort: min (8) is greater than max (4)"
    assert errors[1].startswith("courses.yaml:28: courses[2].kind: input should be 'course',")


def test_a_stage_lists_its_resources_under_labels_and_rejects_unknown_ones(valid_tree):
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "courses: {pick_one: [mdn-learn, django-tutorial]}",
        "courses: {must_do: [mdn-learn], go_deeper: [no-such-course]}",
    )
    errors = errors_of(valid_tree)
    unknown_label = [e for e in errors if "courses.must_do" in e]
    assert unknown_label[0].startswith("tracks/web/junior.yaml:23: courses.must_do: unknown field")
    assert "allowed: start_here, pick_one, go_deeper, more_because" in unknown_label[0]
    # the unknown course under a known label is reported in the same run
    assert any("courses.go_deeper[0]: unknown course `no-such-course`" in e for e in errors)


def test_an_unknown_slug_under_a_label_points_at_its_place(valid_tree):
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "courses: {pick_one: [mdn-learn, django-tutorial]}",
        "courses: {pick_one: [mdn-learn, django-tutorial], go_deeper: [no-such-course]}",
    )
    assert errors_of(valid_tree) == [
        "tracks/web/junior.yaml:23: courses.go_deeper[0]: unknown course `no-such-course` "
        "(not in courses.yaml)"
    ]


@pytest.mark.django_db
def test_the_load_stores_kind_effort_and_each_stages_labels(valid_tree):
    content_load(root=valid_tree, actor="tests")
    course = m.Course.objects.get(slug="mdn-learn")
    assert (course.kind, course.effort_min, course.effort_max) == ("course", 80, 150)
    junior = m.Stage.objects.get(track__slug="web", level__slug="junior")
    assert [(link.course.slug, link.label) for link in junior.course_links.all()] == [
        ("mdn-learn", "pick_one"),
        ("django-tutorial", "pick_one"),
    ]
    reading = [(link.label, link.article_id is not None) for link in junior.reading_links.all()]
    assert reading == [("start_here", False), ("go_deeper", True)]


@pytest.mark.django_db
def test_changing_only_a_label_updates_the_stage_on_the_next_load(valid_tree):
    content_load(root=valid_tree, actor="tests")
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "courses: {pick_one: [mdn-learn, django-tutorial]}",
        "courses: {start_here: [mdn-learn], go_deeper: [django-tutorial]}",
    )
    plan = content_load(root=valid_tree, actor="tests")
    assert plan.updated["stage"] == 1
    junior = m.Stage.objects.get(track__slug="web", level__slug="junior")
    assert [link.label for link in junior.course_links.all()] == ["start_here", "go_deeper"]


@pytest.mark.django_db
def test_export_writes_labels_kind_effort_and_the_reason_back_unchanged(valid_tree):
    edit(
        valid_tree,
        "tracks/web/mid-level.yaml",
        "courses:\n  go_deeper: [paid-course]\n",
        "courses:\n  go_deeper: [paid-course]\n  more_because: A reason an editor wrote.\n",
    )
    content_load(root=valid_tree, actor="tests")
    before = {path: path.read_bytes() for path in valid_tree.rglob("*.yaml")}
    m.Course.objects.filter(slug="paid-course").update(effort_max=Decimal("25.5"))
    content_export(root=valid_tree)
    courses = (valid_tree / "courses.yaml").read_text()
    assert "effort: {min: 10, max: 25.5}" in courses
    for path, text in before.items():
        if path.name != "courses.yaml":
            assert path.read_bytes() == text, path  # stages, with labels and reason, unchanged


def test_effort_reads_as_a_person_would_say_it():
    assert effort_label(Decimal("0.5"), Decimal("1")) == "0.5–1 hours"
    assert effort_label(Decimal("0.25"), Decimal("0.5")) == "15–30 min"
    assert effort_label(Decimal("1"), Decimal("1")) == "1 hour"
    assert effort_label(Decimal("10"), Decimal("20")) == "10–20 hours"


# --- content_report --strict: limits, labels, repeated sentences -------------------------------


def _courses(n: int) -> str:
    return ", ".join(["mdn-learn", "django-tutorial", "paid-course"][:n])


def test_the_valid_tree_has_no_quality_problems():
    assert quality_problems(read_tree(Path(__file__).parent / "content/valid")) == []


def test_a_stage_over_the_limit_needs_a_written_reason(valid_tree):
    courses = (valid_tree / "courses.yaml").read_text()
    extra = courses.split("  - id: smzkppbgae\n")[1].replace("slug: paid-course", "slug: more")
    (valid_tree / "courses.yaml").write_text(courses + "  - id: xtracourse1\n" + extra)
    line = "courses: {pick_one: [mdn-learn, django-tutorial]}"
    edit(
        valid_tree, "tracks/web/junior.yaml", line, f"courses: {{pick_one: [{_courses(3)}, more]}}"
    )
    assert quality_problems(read_tree(valid_tree)) == [
        "web/junior: 4 courses entries, the limit is 3; remove some, or say why in `more_because:`"
    ]
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "more]}",
        "more], more_because: Four equal alternatives; a learner takes one.}",
    )
    assert quality_problems(read_tree(valid_tree)) == []


def test_unlabelled_entries_and_a_pick_one_without_a_choice_are_flagged(valid_tree):
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "courses: {pick_one: [mdn-learn, django-tutorial]}",
        "courses: [mdn-learn, django-tutorial]",
    )
    edit(
        valid_tree,
        "tracks/web/mid-level.yaml",
        "reading:\n  go_deeper: [pragmatic-programmer]",
        "reading:\n  pick_one: [pragmatic-programmer]",
    )
    assert errors_of(valid_tree) == []  # a plain list is a valid draft …
    assert quality_problems(read_tree(valid_tree)) == [  # … that the strict report refuses
        "web/junior: courses without a label: mdn-learn, django-tutorial; list each under "
        "start_here, pick_one or go_deeper",
        "web/mid-level: reading pick_one has only `pragmatic-programmer`; a choice needs two or "
        "more (or make it start_here)",
    ]


def test_a_sentence_repeated_in_two_stages_is_flagged_once_with_both_places(valid_tree):
    sentence = "You can explain every line of the code you ship to a colleague."
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "text: You deployed a small site from scratch.",
        f"text: You deployed a small site from scratch. {sentence}",
    )
    edit(
        valid_tree,
        "tracks/web/mid-level.yaml",
        "text: Gold-plating features nobody asked for.",
        f"text: '{sentence.upper().rstrip('.')}!'",
    )
    assert quality_problems(read_tree(valid_tree)) == [
        f'web/mid-level: sentence also in web/junior: "{sentence.upper().rstrip(".")}!"; '
        "write it for this stage"
    ]


def test_content_report_strict_fails_on_quality_problems(valid_tree, settings, capsys):
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "courses: {pick_one: [mdn-learn, django-tutorial]}",
        "courses: [mdn-learn, django-tutorial]",
    )
    settings.CONTENT_DIR = valid_tree
    with pytest.raises(CommandError, match=r"1 quality problem\(s\)"):
        call_command("content_report", "--strict")
    assert "QUALITY web/junior: courses without a label" in capsys.readouterr().out


# --- the level page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_level_page_shows_each_label_with_kind_and_hours(client, valid_content):
    html = client.get(reverse("level", args=["web", "junior"])).text
    courses = html[html.index("Take these courses") : html.index("Read these")]
    assert '<h5 class="resource-label" id="courses-pick_one">Pick one of:</h5>' in courses
    choice = re.search(r'<ul class="resources resources-choice">(.*?)</ul>', courses, re.S)
    assert choice, "the two alternatives are one list: one choice"
    assert "Learn web development" in choice.group(1) and "Writing your first Django app" in (
        choice.group(1)
    )
    assert '<span class="badge badge-kind">Documentation</span>' in choice.group(1)
    assert "Effort: </span>4–8 hours" in choice.group(1)
    reading = html[html.index("Read these") : html.index("Common mistakes")]
    headings = [text for level, text in Outline(reading).headings if level == 5]
    assert headings == ["Start here", "Go deeper"]
    assert '<span class="badge badge-ours">Our article</span>' in reading
    assert "Effort: </span>about 1 min" in reading  # our article: from its length


@pytest.mark.django_db
def test_start_here_comes_before_go_deeper_whatever_the_files_order(client, valid_tree):
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "reading: {start_here: [mdn-http], go_deeper: [sample-article]}",
        "reading: {go_deeper: [sample-article], start_here: [mdn-http]}",
    )
    content_load(root=valid_tree, actor="tests")
    html = client.get(reverse("level", args=["web", "junior"])).text
    assert html.index(">Start here</h5>") < html.index(">Go deeper</h5>")
    assert html.index("HTTP reference and guides") < html.index("A sample article")


# --- the catalogue filters --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown", "heading"),
    [
        ("", ["mdn-learn", "django-tutorial", "paid-course"], "3 courses"),
        ("?kind=docs", ["django-tutorial"], "1 documentation site"),
        ("?level=mid-level", ["paid-course"], "1 course for Mid-level"),
        ("?track=web&level=junior", ["mdn-learn", "django-tutorial"], "2 courses for Web "),
        ("?track=web&level=junior&cost=paid", [], "0 paid courses for Web Development, Junior"),
        ("?track=data", [], "0 courses for Data"),
        ("?kind=video&cost=paid", ["paid-course"], "1 paid video course"),
    ],
)
def test_the_courses_page_filters_by_track_level_kind_and_price(
    client, valid_content, query, shown, heading
):
    response = client.get(reverse("courses") + query)
    assert response.status_code == 200
    assert course_slugs(response.text) == shown
    assert heading in re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', response.text).group(1)


@pytest.mark.django_db
def test_the_reading_page_filters_our_articles_and_the_reading_alike(client, valid_content):
    def shown(query: str) -> list[str]:
        html = client.get(reverse("reading") + query).text
        return re.findall(r'<li id="((?:article|reading)-[a-z0-9-]+)"', html)

    assert shown("") == [
        "article-sample-article",
        "reading-mdn-http",
        "reading-pragmatic-programmer",
    ]
    assert shown("?kind=article") == ["article-sample-article"]
    assert shown("?kind=book") == ["reading-pragmatic-programmer"]
    assert shown("?level=junior") == ["article-sample-article", "reading-mdn-http"]
    assert shown("?cost=paid&track=web") == ["reading-pragmatic-programmer"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["courses", "reading"])
def test_a_filter_value_the_form_never_offers_is_a_400_page_that_says_so(
    client, valid_content, page
):
    response = client.get(reverse(page) + "?track=cooking&level=guru&kind=podcast&cost=free")
    assert response.status_code == 400
    text = results(response.text)
    for noun, value in (("track", "cooking"), ("level", "guru"), ("kind", "podcast")):
        assert f"There is no {noun} “{value}”, so that filter was left out." in text
    assert 'role="alert"' in text and f'<a href="{reverse(page)}">Clear every filter</a>' in text
    assert "badge-paid" not in text and "badge-free" in text  # the valid filter still applies
    long = client.get(reverse(page) + "?kind=" + "x" * 5000)
    assert long.status_code == 400 and "x" * 41 not in long.text


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["courses", "reading"])
def test_the_filter_form_works_without_javascript_and_htmx_swaps_only_the_results(
    client, valid_content, page
):
    html = client.get(reverse(page)).text
    form = re.search(r'<form class="filters".*?</form>', html, re.S).group(0)
    assert f'method="get" action="{reverse(page)}"' in form
    for name in ("track", "level", "kind", "cost"):
        assert (
            f'<label for="filter-{name}">' in form and f'id="filter-{name}" name="{name}"' in form
        )
    partial = client.get(reverse(page) + "?kind=book", headers={"HX-Request": "true"})
    assert partial["Vary"] == "HX-Request"
    results_id = {"courses": "course-results", "reading": "reading-results"}[page]
    assert partial.text.lstrip().startswith(f'<section id="{results_id}"')
    assert "<form" not in partial.text and "<html" not in partial.text


@needs_html_validate
@pytest.mark.django_db
def test_the_pages_with_resources_and_filters_are_valid_html(client, valid_content, tmp_path):
    urls = [
        reverse("level", args=["web", "junior"]),
        reverse("courses") + "?track=web&kind=docs",
        reverse("reading") + "?level=junior",
        reverse("courses") + "?track=cooking",
    ]
    for n, url in enumerate(urls):
        (tmp_path / f"page{n}.html").write_text(client.get(url).text, encoding="utf-8")
    html_validate(tmp_path)


# --- upgrading a database loaded before these fields existed ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_an_earlier_load_comparable_so_the_next_load_is_not_refused():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("catalog", "0002_content_lengths")],
        [("catalog", "0003_resource_kind_effort_label")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        level = old.get_model("catalog", "Level").objects.create(
            slug="junior", name="Junior", meaning="m", loaded_values={"slug": "junior"}
        )
        track = old.get_model("catalog", "Track").objects.create(
            slug="web",
            name="Web",
            pitch="p",
            duration_min=1,
            duration_unit="years",
            duration_note="n",
            entry_level=level,
            loaded_values={"slug": "web"},
        )
        old.get_model("catalog", "Course").objects.create(
            slug="c",
            title="C",
            provider="P",
            summary="S",
            url="https://example.org/",
            cost="free",
            loaded_values={"slug": "c", "title": "C"},
        )
        old.get_model("catalog", "Stage").objects.create(
            track=track,
            level=level,
            summary="s",
            duration_min=1,
            duration_unit="months",
            loaded_values={"summary": "s", "courses": ["c"], "reading": []},
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        course = new.get_model("catalog", "Course").objects.get()
        assert course.loaded_values == {
            "kind": "course",
            "effort_min": "0",
            "effort_max": "0",
            "slug": "c",
            "title": "C",
        }
        stage = new.get_model("catalog", "Stage").objects.get()
        assert stage.loaded_values["courses"] == [["c", ""]]
        assert stage.loaded_values["courses_more_because"] == ""
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
