"""The home page, track and level pages: what they show, deep links, 404s, redirects, htmx."""

import re

import pytest
from django.urls import reverse
from webpages import Outline

from roadmap.catalog import models as m

pytestmark = pytest.mark.usefixtures("site_content", "without_page_cache")

HTMX = {"HX-Request": "true"}
SECTIONS = [  # the level panel's sections, in the order of the original page (seed 000)
    "Skills you'll learn",
    "You're ready for the next level when",
    "Build this",
    "Take these courses",
    "Read these",
    "Common mistakes at this stage",
    "What companies expect at this level",
]


def headings(html: str, level: int) -> list[str]:
    return [text.replace("’", "'") for n, text in Outline(html).headings if n == level]


def test_home_shows_headline_starting_points_tracks_timelines_and_mistakes(client):
    html = client.get(reverse("home")).text
    site = m.SiteText.objects.get()
    assert headings(html, 1) == [site.headline]
    assert headings(html, 2)[:2] == ["Don't know which path yet?", "Pick your track"]
    assert "Realistic timelines" in headings(html, 2)
    assert "Mistakes everyone makes" in headings(html, 2)
    assert "Start with the web" in headings(html, 3)
    assert 'href="/tracks/web/beginner/"' in html  # a starting point leads to its level
    assert '<svg class="chart-svg"' in html
    for mistake in m.CommonMistake.objects.all():
        assert mistake.title in headings(html, 3)
    assert html.count('<li id="mistake-') == m.CommonMistake.objects.count()


def test_home_opens_the_first_track_on_its_entry_level_with_every_track_tab(client):
    html = client.get(reverse("home")).text
    tabs = re.findall(r'<a id="tab-([a-z-]+)" href="/tracks/\1/"', html)
    assert tabs == ["web", "data", "ops"]
    assert 'id="tab-web" href="/tracks/web/" hx-get="/tracks/web/"' in html
    outline = Outline(html).headings
    panel = outline.index((2, "Web Development"))
    assert outline[panel + 1] == (3, "Web Development: Beginner")


def test_a_track_page_shows_pitch_computed_total_its_parts_and_the_level_tabs(client):
    html = client.get(reverse("track", args=["data"])).text
    track = m.Track.objects.get(slug="data")
    assert track.pitch in html
    assert 'About 4–6 years</span> <span class="track-total-note">Mid-level to Senior' in html
    assert "<li>Time on the web track first: 2–3 years</li>" in html
    assert "<li>Mid-level stage, focused learning: 6–12 months</li>" in html
    assert "Often stated as about 4–6 years." in html
    assert "Why this track starts at Mid-level." in html
    levels = re.findall(r'href="/tracks/data/([a-z-]+)/" hx-get', html)
    assert levels == ["mid-level", "senior", "expert"]
    assert 'id="tab-data-mid-level" href="/tracks/data/mid-level/"' in html
    assert re.search(r'id="tab-data-mid-level"[^>]*aria-current="true"', html)


def test_a_level_shows_every_section_in_order_with_its_content(client):
    html = client.get(reverse("level", args=["web", "junior"])).text
    assert headings(html, 4) == SECTIONS
    stage = m.Stage.objects.get(track__slug="web", level__slug="junior")
    assert "Typical time: <strong>3–6 months</strong>" in html
    assert f'<a href="{stage.source.url}">{stage.source.name}</a>' in html
    positions = []
    for kind in m.ItemKind.values:
        for item in stage.items.filter(kind=kind).order_by("order"):
            assert f'id="item-{item.content_id}"' in html
            if kind == m.ItemKind.PROJECT:
                assert item.teaches in html
        positions.append(
            html.index(f'id="item-{stage.items.filter(kind=kind).first().content_id}"')
        )
    for link in stage.course_links.select_related("course"):
        course = link.course
        assert f'<a href="{course.url}">{course.title}</a>' in html.replace("&#x27;", "'")
    assert '<span class="badge badge-free">Free</span>' in html
    assert positions == sorted(positions)
    for link in stage.reading_links.select_related("reading"):
        assert f'<a href="{link.reading.url}">' in html


def test_our_own_articles_in_a_reading_list_link_to_their_page(client):
    html = client.get(reverse("level", args=["web", "expert"])).text
    assert '<a href="/articles/learning-on-your-own/">' in html
    assert '<span class="badge badge-ours">Our article</span>' in html


def test_paid_courses_are_marked_paid(client):
    paid = m.StageCourse.objects.filter(course__cost="paid").select_related("stage__track")
    link = paid.select_related("stage__level").first()
    html = client.get(reverse("level", args=[link.stage.track.slug, link.stage.level.slug])).text
    assert '<span class="badge badge-paid">Paid</span>' in html


def test_an_empty_reading_list_says_so_and_points_to_the_reading_page(client):
    stage = m.Stage.objects.get(track__slug="data", level__slug="senior")
    stage.reading_links.all().delete()
    html = client.get(reverse("level", args=["data", "senior"])).text
    assert "We haven't picked reading for this level yet." in html
    assert '<a href="/reading/">Browse all the reading</a>' in html


def test_hidden_items_courses_and_reading_are_not_shown(client):
    stage = m.Stage.objects.get(track__slug="web", level__slug="junior")
    item = stage.items.first()
    course = stage.course_links.first().course
    reading = stage.reading_links.exclude(reading=None).first().reading
    m.StageItem.objects.filter(pk=item.pk).update(published=False)
    m.Course.objects.filter(pk=course.pk).update(retired=True)
    m.Reading.objects.filter(pk=reading.pk).update(published=False)
    html = client.get(reverse("level", args=["web", "junior"])).text
    assert item.content_id not in html
    assert course.url not in html
    assert reading.url not in html


def test_a_level_page_links_suggest_an_edit_to_its_files(client, settings):
    settings.REPOSITORY_URL = "https://example.org/roadmap"
    html = client.get(reverse("level", args=["web", "junior"])).text
    assert 'href="https://example.org/roadmap/edit/main/content/tracks/web/junior.yaml"' in html
    assert 'href="https://example.org/roadmap/edit/main/content/tracks/web/track.yaml"' in html


def test_an_unknown_track_is_a_helpful_404(client):
    response = client.get("/tracks/cooking/")
    assert response.status_code == 404
    assert "There is no track called “cooking”" in response.text
    assert 'href="/tracks/web/"' in response.text
    assert len(Outline(response.text).h1s()) == 1


def test_a_level_the_track_lacks_is_a_404_saying_where_the_track_starts_and_why(client):
    response = client.get("/tracks/data/beginner/")
    assert response.status_code == 404
    page = Outline(response.text)
    assert len(page.h1s()) == 1
    text = " ".join(response.text.split())
    assert "Data Analysis has no Beginner level: it starts at Mid-level." in text
    assert m.Track.objects.get(slug="data").entry_note in text  # the why, in the track's words
    assert '<a href="/tracks/data/mid-level/">Start Data Analysis at Mid-level</a>' in text
    # Beginner is below where Data starts, and Data builds on Web, which has a Beginner stage.
    assert '<a href="/tracks/web/beginner/">begin with Web Development: Beginner</a>' in text


def test_without_an_entry_note_the_404_gives_the_tracks_pitch(client):
    m.Track.objects.filter(slug="data").update(entry_note="")
    text = " ".join(client.get("/tracks/data/no-such-level/").text.split())
    assert "Data Analysis has no no-such-level level: it starts at Mid-level." in text
    assert m.Track.objects.get(slug="data").pitch in text
    assert "begin with Web Development" not in text  # not a level, so not below the start


def test_a_level_tab_the_track_lacks_is_the_same_404(client):
    response = client.get("/tracks/data/beginner/", headers=HTMX)
    assert response.status_code == 404
    assert "Start Data Analysis at Mid-level" in response.text


def test_an_unknown_track_with_a_level_is_a_plain_404(client):
    response = client.get("/tracks/cooking/beginner/")
    assert response.status_code == 404
    assert "There is no track called “cooking”" in response.text
    assert "starts at" not in response.text


def test_retired_and_unpublished_tracks_and_levels_are_404(client):
    m.Track.objects.filter(slug="ops").update(retired=True)
    m.Stage.objects.filter(track__slug="web", level__slug="expert").update(published=False)
    assert client.get("/tracks/ops/").status_code == 404
    assert client.get("/tracks/ops/junior/").status_code == 404
    assert client.get("/tracks/ops/junior/", headers=HTMX).status_code == 404
    assert client.get("/tracks/web/expert/").status_code == 404
    assert client.get("/tracks/web/expert/", headers=HTMX).status_code == 404
    assert "tab-ops" not in client.get("/").text


def test_an_old_track_slug_redirects_permanently_keeping_the_level(client):
    m.TrackRedirect.objects.create(old_slug="webdev", track=m.Track.objects.get(slug="web"))
    response = client.get("/tracks/webdev/")
    assert response.status_code == 301
    assert response["Location"] == "/tracks/web/"
    assert client.get("/tracks/webdev/junior/")["Location"] == "/tracks/web/junior/"


def test_a_redirect_to_a_retired_track_is_a_404(client):
    track = m.Track.objects.get(slug="web")
    m.TrackRedirect.objects.create(old_slug="webdev", track=track)
    m.Track.objects.filter(pk=track.pk).update(retired=True)
    assert client.get("/tracks/webdev/").status_code == 404


# --- htmx: one URL, two shapes ----------------------------------------------------------------


def test_a_track_tab_request_gets_the_track_panel_alone(client):
    response = client.get("/tracks/web/", headers=HTMX)
    html = response.text
    assert response["Vary"] == "HX-Request, Cookie"  # a learner sees their ticks in it
    assert html.startswith("<title>Web Development · Beginner — Roadmap</title>")
    assert "<html" not in html and "<h1" not in html
    assert '<section id="track-panel"' in html
    assert 'id="tab-web-junior"' in html  # its level tabs
    assert headings(html, 4) == SECTIONS


def test_a_level_tab_request_gets_the_level_panel_alone(client):
    response = client.get("/tracks/web/senior/", headers=HTMX)
    html = response.text
    assert response["Vary"] == "HX-Request, Cookie"  # a learner sees their ticks in it
    assert html.startswith("<title>Web Development · Senior — Roadmap</title>")
    assert '<section id="level-panel"' in html
    assert "track-panel" not in html and "tab-web" not in html
    assert headings(html, 3) == ["Web Development: Senior"]


def test_the_full_page_also_varies_on_hx_request(client):
    response = client.get("/tracks/web/senior/")
    assert response["Vary"] == "HX-Request, Cookie"  # a learner sees their ticks in it
    assert "<html" in response.text


def test_a_history_restore_request_gets_the_full_page(client):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    for url in ("/tracks/web/", "/tracks/web/senior/"):
        html = client.get(url, headers=headers).text
        assert html.startswith("<!doctype html>")
        assert len(Outline(html).h1s()) == 1


def test_pages_with_tabs_load_htmx_from_our_static_files_configured_for_a_strict_csp(client):
    html = client.get("/").text
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js" defer>', html)
    assert '"includeIndicatorStyles":false' in html and '"allowEval":false' in html
    assert '"historyRestoreAsHxRequest":false' in html
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_without_javascript_every_tab_is_a_plain_link(client):
    page = Outline(client.get("/tracks/data/senior/").text)
    tabs = [attrs for tag, attrs in page.elements if tag == "a" and "hx-get" in attrs]
    assert len(tabs) == m.Track.objects.count() + m.Stage.objects.filter(track__slug="data").count()
    for tab in tabs:
        assert tab["href"] == tab["hx-get"]
        assert "role" not in tab  # the ARIA roles are added by the script that makes them tabs
    for tab in tabs:
        assert client.get(tab["href"]).status_code == 200
