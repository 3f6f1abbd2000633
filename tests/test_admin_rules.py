"""The admin checks what it saves with the files' own rules and shows where each row comes from.

All tests use the small valid tree (tests/content/valid), loaded.
"""

import json
import re

import pytest
from django.urls import reverse

from roadmap.catalog import models as m

pytestmark = pytest.mark.django_db


def course_form(course: m.Course, **changes) -> dict:
    form = {
        "slug": course.slug,
        "title": course.title,
        "provider": course.provider,
        "summary": course.summary,
        "url": course.url,
        "cost": course.cost,
        "kind": course.kind,
        "effort_min": course.effort_min,
        "effort_max": course.effort_max,
        "published": "on",
        "editorial_note": "",
    }
    return {**form, **changes}


def change_url(row) -> str:
    opts = row._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "cs50_X", "use lowercase letters, digits and single hyphens"),
        ("url", "ftp://example.org/course", "must be an http:// or https:// address"),
        ("title", "x" * 301, "at most 300 characters"),
    ],
)
def test_a_value_the_files_would_reject_is_refused_with_the_validators_message(
    valid_content, admin_client, field, value, message
):
    course = m.Course.objects.get(slug="mdn-learn")
    page = admin_client.post(change_url(course), course_form(course, **{field: value}))
    assert page.status_code == 200  # the form again, not a redirect
    assert message in " ".join(page.context["adminform"].form.errors[field])
    course.refresh_from_db()
    assert getattr(course, field) != value


def test_a_duration_whose_min_is_above_its_max_is_refused(valid_content, admin_client):
    track = m.Track.objects.get(slug="web")
    form = {
        "name": track.name,
        "order": track.order,
        "pitch": track.pitch,
        "duration_min": "9",
        "duration_max": "3",
        "duration_unit": "months",
        "timeline": json.dumps(track.timeline),
        "entry_level": track.entry_level_id,
        "entry_note": track.entry_note,
        "builds_on": track.builds_on,
        "published": "on",
        "editorial_note": "",
        "stages-TOTAL_FORMS": "0",
        "stages-INITIAL_FORMS": "0",
    }
    page = admin_client.post(change_url(track), form)
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert "min (9) is greater than max (3)" in " ".join(errors["duration_min"])


def test_text_is_saved_as_the_loader_reads_it_from_a_file(valid_content, admin_client):
    course = m.Course.objects.get(slug="mdn-learn")
    summary = "  First line.\r\nSecond line.  \r\n"
    page = admin_client.post(change_url(course), course_form(course, summary=summary))
    assert page.status_code == 302
    course.refresh_from_db()
    assert course.summary == "First line.\nSecond line."


def test_a_change_page_links_to_the_page_on_the_site_and_to_the_source_file(
    valid_content, admin_client, settings
):
    settings.REPOSITORY_URL = "https://github.com/example/roadmap"
    stage = m.Stage.objects.get(content_id="qgn88sqegp")
    page = admin_client.get(change_url(stage)).text
    assert "View on site" in page
    assert (
        '<a href="https://github.com/example/roadmap/blob/main/content/tracks/web/junior.yaml">'
        "content/tracks/web/junior.yaml</a>" in page
    )
    settings.REPOSITORY_URL = ""
    page = admin_client.get(change_url(stage)).text
    assert "content/tracks/web/junior.yaml" in page and "blob/main" not in page


def test_every_row_with_a_page_has_a_view_on_site_link_that_answers(valid_content, client):
    with_pages = [
        m.Track,
        m.Stage,
        m.StageItem,
        m.Course,
        m.Reading,
        m.Article,
        m.Guide,
        m.CommonMistake,
        m.Question,
        m.SiteText,
    ]
    for model in with_pages:
        row = model.objects.visible().first()
        url = row.get_absolute_url()
        assert client.get(url.split("#")[0]).status_code == 200, url


def test_retired_rows_are_hidden_unless_asked_for(valid_content, admin_client):
    m.Course.objects.filter(slug="paid-course").update(retired=True)
    url = reverse("admin:catalog_course_changelist")
    assert admin_client.get(url).context["cl"].result_count == 2
    assert admin_client.get(url, {"retired": "yes"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"retired": "all"}).context["cl"].result_count == 3


def test_the_content_loads_page_lists_the_edits_the_next_load_would_stop_on(
    valid_content, admin_client
):
    page = admin_client.get(reverse("admin:catalog_contentload_changelist")).text
    assert "Admin edits not in the content files yet (0)" in page
    course = m.Course.objects.get(slug="mdn-learn")
    course.summary = "Changed in admin."
    course.save()
    m.StageItem.objects.get(content_id="kdwzs3tlx1").delete()
    page = admin_client.get(reverse("admin:catalog_contentload_changelist")).text
    assert "Admin edits not in the content files yet (2)" in page
    assert re.search(r"<code>eruxr81eca</code></td>\s*<td>summary</td>", page)
    assert re.search(r"<code>kdwzs3tlx1</code></td>\s*<td>deleted in admin</td>", page)
    assert "python manage.py export_content" in page


def test_a_stages_items_are_grouped_and_ordered_as_on_the_site(valid_content, admin_client):
    stage = m.Stage.objects.get(content_id="qgn88sqegp")
    page = admin_client.get(change_url(stage))
    items = page.context["inline_admin_formsets"][0].formset.queryset
    kinds = [item.kind for item in items]
    assert (
        kinds
        == ["skill"] * 2
        + ["ready_when"] * 2
        + ["project"] * 2
        + ["mistake"] * 2
        + ["expectation"] * 2
    )
    assert [i.text for i in items][:2] == [
        "HTML and CSS fundamentals",
        "HTTP: requests, responses and status codes",
    ]


def test_where_a_row_lives_in_the_files_is_read_only(valid_content, admin_client):
    guide = m.Guide.objects.get(slug="levels")
    form = admin_client.get(change_url(guide)).context["adminform"].form
    assert "slug" not in form.fields  # the file name: renamed in a pull request, not here
    assert "title" in form.fields


def test_a_project_is_checked_as_a_project_and_other_items_as_text(valid_content, admin_client):
    project = m.StageItem.objects.get(content_id="yo4tyfi5dw")
    form = {"text": project.text, "teaches": "", "published": "on", "editorial_note": ""}
    page = admin_client.post(change_url(project), form)
    assert page.context["adminform"].form.errors["teaches"] == ["field required"]
    skill = m.StageItem.objects.get(content_id="pq2b6wex5t")
    form = {"text": "x" * 301, "teaches": "", "published": "on", "editorial_note": ""}
    assert admin_client.post(change_url(skill), form).status_code == 302  # a skill's text: 2000
    page = admin_client.post(change_url(project), {**form, "teaches": "Something."})
    assert "at most 300 characters" in page.context["adminform"].form.errors["text"][0]
