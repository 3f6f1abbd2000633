"""The catalogue pages: timelines, courses, reading, articles, guides, sitemap, robots, errors."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from webpages import Outline, public_urls

from roadmap.catalog import models as m
from roadmap.catalog.chart import chart_rows
from roadmap.catalog.selectors import track_list

pytestmark = pytest.mark.usefixtures("site_content", "without_page_cache")


def test_the_timelines_page_has_the_chart_and_every_levels_duration_and_basis(client):
    html = client.get(reverse("timelines")).text
    assert html.count('<svg class="chart-svg"') == 1
    for stage in m.Stage.objects.select_related("track", "level", "source"):
        row = re.search(
            rf'<a href="/tracks/{stage.track.slug}/{stage.level.slug}/">{stage.level.name}</a>'
            r"</th><td>([^<]+)</td><td>(.*?)</td>",
            html,
        )
        assert row, stage
        assert row.group(1) == stage.duration_label
        assert basis_of(stage) in row.group(2)


def basis_of(stage: m.Stage) -> str:
    """What the one basis snippet says: a source only if its page gives time per level."""
    source = stage.source
    if source is None:
        return "Our estimate; no survey we know of publishes time per level"
    link = f'<a href="{source.url}">{source.name}</a>'
    if source.gives_time_per_level:
        return f"Source: {link}"
    return f"Our estimate, informed by the {link}, which measures {source.measures}"


def test_every_kind_of_basis_reads_the_same_on_level_pages_and_timelines(client):
    timelines = client.get(reverse("timelines")).text
    stages = m.Stage.objects.select_related("track", "level", "source")
    kinds = set()
    for stage in stages:
        level_page = client.get(stage.get_absolute_url()).text
        assert basis_of(stage) in level_page and basis_of(stage) in timelines, stage
        kinds.add(basis_of(stage).split(",")[0].split(";")[0].split(":")[0])
    assert kinds == {"Source", "Our estimate"}  # the fixture has all three wordings
    assert sum("informed by" in basis_of(s) for s in stages) >= 1
    senior = stages.get(track__slug="web", level__slug="senior")
    assert "informed by" in basis_of(senior)  # Senior shows its basis too


def test_the_chart_draws_each_tracks_road_part_by_part_from_the_model():
    rows, years = chart_rows(track_list())
    # Data reaches furthest: 2–3 years on the web track, 6–12 months, then 1.5–2 years at work
    assert years == 6
    axis = 6 * 52
    web = rows[0]
    assert [s.name for s in web.segments] == [
        "Beginner",
        "Junior",
        "Job search for a first developer role",
        "Working as a Junior developer",
        "Mid-level",
        "Working at Mid-level before the Senior title",
    ]
    junior = web.segments[1]
    assert junior.solid == pytest.approx(3 * 52 / 12 / axis * 100)  # 3 months solid …
    assert junior.extra == pytest.approx(3 * 52 / 12 / axis * 100)  # … and up to 3 more
    assert [s.shade == "extra" for s in web.segments] == [False, False, True, True, False, True]
    for before, after in zip(web.segments, web.segments[1:], strict=False):
        assert after.x == pytest.approx(before.x + before.width)  # end to end, no overlap
    data = rows[1]
    assert [s.name for s in data.segments] == [
        "Time on the web track first",
        "Mid-level",
        "Working at Mid-level before the Senior title",
    ]
    ends = {row.track.slug: row.segments[-1].x + row.segments[-1].width for row in rows}
    assert ends["data"] == pytest.approx(312 / axis * 100)  # 6 years at most
    assert len(set(ends.values())) == 3  # different figures, different bars


def test_the_chart_has_a_text_equivalent_and_the_same_figures_as_a_table(client):
    html = client.get(reverse("home")).text
    assert 'role="img" aria-labelledby="timelines-title timelines-desc"' in html
    desc = re.search(r'<desc id="timelines-desc">(.*?)</desc>', html, re.S).group(1)
    assert "Web Development: Beginner 4–8 weeks, then Junior 3–6 months, then Job search" in desc
    assert "About 4–6 years, Mid-level to Senior; often stated as 4–6 years" in desc
    assert "About 1–1.5 years, Beginner through Junior" in desc
    table = re.search(r'<table class="timeline-table chart-table">(.*?)</table>', html, re.S)
    cells = re.sub(r"<[^>]+>", "|", table.group(1))
    assert "Time on the web track first: 2–3 years; Mid-level: 6–12 months" in cells
    assert "|4–6 years, Mid-level to Senior|" in cells
    assert "|2.6–4.2 years, Beginner to Senior||2.5–4 years|" in cells


def test_the_courses_page_lists_every_course_with_cost_and_where_it_is_recommended(client):
    html = client.get(reverse("courses")).text
    assert html.count('<li id="course-') == m.Course.objects.count()
    assert re.search(rf"<h2[^>]*>{m.Course.objects.count()} courses</h2>", html)
    assert "Recommended in: " in html
    assert 'href="/tracks/web/beginner/">Web Development, Beginner</a>' in html


def test_the_courses_page_filters_by_track_and_by_cost(client):
    html = client.get(reverse("courses") + "?track=data&cost=free").text
    shown = set(re.findall(r'<li id="course-([a-z0-9-]+)"', html))
    expected = set(
        m.Course.objects.filter(cost="free", stagecourse__stage__track__slug="data")
        .values_list("slug", flat=True)
        .distinct()
    )
    assert shown == expected and shown
    assert re.search(rf"<h2[^>]*>{len(shown)} free courses for Data Analysis</h2>", html)
    assert '<option value="data" selected>' in html
    paid = client.get(reverse("courses") + "?cost=paid").text
    assert "badge-free" not in paid and "badge-paid" in paid


def test_a_stale_course_filter_is_a_400_that_says_which_filter_was_left_out(client):
    response = client.get(reverse("courses") + "?track=cooking&cost=free")
    assert response.status_code == 400
    assert "There is no track “cooking”, so that filter was left out." in response.text
    assert response.text.count('<li id="course-') == m.Course.objects.filter(cost="free").count()


def test_the_course_filter_works_with_htmx_as_one_url_with_two_shapes(client):
    response = client.get(reverse("courses") + "?cost=paid", headers={"HX-Request": "true"})
    assert response["Vary"] == "HX-Request"
    assert response.text.lstrip().startswith('<section id="course-results"')
    assert "<form" not in response.text


def test_the_reading_page_lists_our_articles_and_the_reading_with_cost(client):
    html = client.get(reverse("reading")).text
    for article in m.Article.objects.all():
        assert f'<a href="/articles/{article.slug}/">{article.title}</a>' in html
    assert html.count('<li id="reading-') == m.Reading.objects.count()
    assert "badge-free" in html


def test_an_article_page_shows_its_body_and_where_it_is_recommended(client, settings):
    settings.REPOSITORY_URL = "https://example.org/r"
    article = m.Article.objects.get(slug="learning-on-your-own")
    html = client.get(reverse("article", args=[article.slug])).text
    assert Outline(html).h1s() == [article.title]
    assert article.body_html[:200] in html
    assert 'href="/tracks/web/expert/">Web Development, Expert</a>' in html
    assert 'href="https://example.org/r/edit/main/content/articles/learning-on-your-own.md"' in html


def test_the_guides_index_lists_every_guide_in_order(client):
    html = client.get(reverse("guides")).text
    titles = [text for level, text in Outline(html).headings if level == 2]
    assert titles == list(m.Guide.objects.order_by("order").values_list("title", flat=True))


def test_a_guide_has_a_table_of_contents_linking_to_its_sections(client, settings):
    settings.REPOSITORY_URL = "https://example.org/r"
    html = client.get(reverse("guide", args=["levels"])).text
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert len(anchors) >= 3
    for anchor in anchors:
        assert f'<h2 id="{anchor}">' in html
    assert "Impact over tenure" in toc
    assert 'href="https://example.org/r/edit/main/content/guides/levels.md"' in html
    assert 'class="pager-next" href="/guides/' in html


def test_wide_tables_in_a_guide_scroll_inside_a_focusable_region(client):
    html = client.get(reverse("guide", args=["levels"])).text
    assert (
        '<section class="table-scroll" tabindex="0" aria-label="Table, scrolls sideways"><table>'
        in html
    )
    assert html.count("<table>") == html.count('class="table-scroll"')


def test_unknown_guides_and_articles_are_404(client):
    assert client.get("/guides/nope/").status_code == 404
    assert client.get("/articles/nope/").status_code == 404
    m.Guide.objects.filter(slug="levels").update(published=False)
    assert client.get("/guides/levels/").status_code == 404
    assert "/guides/levels/" not in client.get("/guides/").text


def test_the_articles_address_redirects_to_the_reading_page(client):
    response = client.get("/articles/")
    assert response.status_code == 301 and response["Location"] == "/reading/"


def test_the_sitemap_lists_every_public_page(client):
    xml = client.get(reverse("sitemap")).text
    listed = re.findall(r"<loc>http://testserver(.*?)</loc>", xml)
    assert sorted(listed) == sorted(public_urls())


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.text
    assert "Sitemap: http://testserver/sitemap.xml" in response.text


def test_an_unknown_address_is_a_helpful_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "There's nothing at <code>/no/such/page/</code>" in response.text
    assert 'href="/tracks/web/"' in response.text
    assert '<meta name="robots" content="noindex">' in response.text


def test_a_server_error_renders_the_500_page_without_the_database(client, monkeypatch):
    from roadmap.catalog import views

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "track_list", broken)
    failing = Client(raise_request_exception=False)
    response = failing.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert len(Outline(response.text).h1s()) == 1


def test_the_main_navigation_marks_the_current_section(client):
    html = client.get(reverse("courses")).text
    assert '<a href="/courses/" aria-current="page">Courses</a>' in html
    html = client.get(reverse("guide", args=["levels"])).text
    assert '<a href="/guides/" aria-current="page">Guides</a>' in html
