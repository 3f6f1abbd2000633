"""Django admin: every model listed, searchable and filterable; curation never blocks a load.

The tests load the small valid tree (tests/content/valid), not the real content/.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from roadmap.catalog import models as m
from roadmap.content.loader import content_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(valid_loaded):
    """The valid tree, loaded once for the module; no test here edits its files."""
    return valid_loaded


def test_every_catalog_model_has_an_admin():
    missing = [
        model.__name__
        for model in apps.get_app_config("catalog").get_models()
        if model not in admin.site._registry
        and model not in {m.StageCourse, m.StageReading, m.AnswerOption, m.ContentChange}
    ]
    assert missing == []  # these are inline (stage, question; a load's changes, read only)


def test_every_admin_list_search_and_change_page_answers(admin_client, loaded):
    for model in apps.get_app_config("catalog").get_models():
        if model not in admin.site._registry:
            continue
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, changelist
        assert admin_client.get(changelist, {"q": "data"}).status_code == 200, changelist
        row = model.objects.first()
        if row is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
            assert admin_client.get(change).status_code == 200, change


def test_stages_filter_by_track_level_published_and_retired(admin_client, loaded):
    track = m.Track.objects.get(slug="web")
    url = reverse("admin:catalog_stage_changelist")
    page = admin_client.get(url, {"track__id__exact": track.pk, "published__exact": "1"})
    assert page.context["cl"].result_count == 2
    retired = admin_client.get(url, {"retired": "yes"})
    assert retired.context["cl"].result_count == 0


def test_the_track_page_shows_its_stages_inline_and_a_stage_its_items(admin_client, loaded):
    track = m.Track.objects.get(slug="web")
    page = admin_client.get(reverse("admin:catalog_track_change", args=[track.pk]))
    assert page.context["inline_admin_formsets"][0].formset.total_form_count() == 2
    stage = track.stages.get(level__slug="junior")
    page = admin_client.get(reverse("admin:catalog_stage_change", args=[stage.pk]))
    items = page.context["inline_admin_formsets"][0].formset
    assert items.total_form_count() == stage.items.count()


def test_unpublishing_in_admin_hides_a_course_and_the_next_load_keeps_it_hidden(
    admin_client, loaded
):
    course = m.Course.objects.get(slug="mdn-learn")
    url = reverse("admin:catalog_course_changelist")
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(course.pk),
        "_save": "Save",
    }  # `published` left unticked
    assert admin_client.post(url + "?q=mdn-learn", form).status_code == 302
    course.refresh_from_db()
    assert not course.published
    plan = content_load(root=loaded, actor="tests")
    assert plan.admin_edits == [] and not plan.changed
    course.refresh_from_db()
    assert not course.published


def test_content_loads_are_listed_read_only(admin_client, loaded):
    record = m.ContentLoad.objects.get()
    page = admin_client.get(reverse("admin:catalog_contentload_changelist"))
    assert record.actor in page.text
    assert admin_client.get(reverse("admin:catalog_contentload_add")).status_code == 403
