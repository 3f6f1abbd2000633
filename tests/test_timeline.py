"""The timeline model (roadmap/catalog/timeline.py): what a duration measures, totals computed
from stages and named extras, and every page that shows a figure showing the model's figure:
level and track pages, /timelines/, the home chart and the JSON-LD."""

import json
import re
import shutil

import pytest
from content_trees import SITE
from django.urls import reverse
from webpages import public_urls

from roadmap.catalog import models as m
from roadmap.catalog import timeline
from roadmap.catalog.selectors import track_list
from roadmap.content.loader import content_load

pytestmark = pytest.mark.usefixtures("site_content", "without_page_cache")

WEEKS_PER_MONTH = 52 / 12


# --- the model on its own -----------------------------------------------------------------------


def test_the_interface_other_code_relies_on():
    assert isinstance(timeline.MODEL_HOURS_PER_WEEK, int)
    stage = m.Stage(duration_min=3, duration_max=6, duration_unit="months")
    assert timeline.stage_weeks(stage) == pytest.approx((13, 26))
    open_ended = m.Stage(duration_min=2, duration_max=None, duration_unit="years")
    assert timeline.stage_weeks(open_ended) == (104, None)


@pytest.mark.parametrize(
    ("low", "high", "label"),
    [
        (4, 8, "4–8 weeks"),
        (13, 26, "3–6 months"),
        (52, 104, "1–2 years"),
        (104, None, "2+ years"),
        (134, 216, "2.6–4.2 years"),
        (52, 52, "12 months"),
        (78, 78, "1.5 years"),
    ],
)
def test_a_range_reads_in_the_unit_a_person_would_use(low, high, label):
    assert timeline.range_label(low, high) == label


def test_a_road_lays_out_extras_where_the_timeline_puts_them_and_sums_every_part():
    places = [
        timeline.Place("junior", "Junior", timeline.Span(13, 26)),
        timeline.Place("mid-level", "Mid-level", timeline.Span(26, 52)),
        timeline.Place("senior", "Senior", timeline.Span(52, 104)),
    ]
    road = timeline.road(
        places,
        {
            "to": "senior",
            "extras": [
                {"name": "Earlier work", "duration": {"min": 1, "max": 2, "unit": "years"}},
                {"name": "In a job", "after": "junior", "duration": {"min": 6, "unit": "months"}},
            ],
        },
    )
    assert [part.name for part in road.parts] == ["Earlier work", "Junior", "In a job", "Mid-level"]
    assert road.covers == "Junior to Senior"
    assert road.study == timeline.Span(39, 78)
    assert road.total.low == pytest.approx(52 + 13 + 26 + 26)
    assert road.total.high is None  # an open-ended part leaves the total open


def test_a_stated_figure_agrees_only_within_the_tolerance():
    computed = timeline.Span(134, 216)
    assert timeline.disagreement(timeline.stated_span(2.5, 4, "years"), computed) == ""
    problem = timeline.disagreement(timeline.stated_span(3.5, 4, "years"), computed)
    assert "shortest end (3.5 years) is more than 15% away from the computed 2.6 years" in problem


@pytest.mark.parametrize(
    ("weeks", "iso"), [(8, "P8W"), (26, "P6M"), (104, "P2Y"), (216, "P216W"), (52 * 4.5, "P54M")]
)
def test_durations_are_iso_8601(weeks, iso):
    assert timeline.iso_duration(weeks) == iso


# --- the pages --------------------------------------------------------------------------------


def test_timelines_states_the_model_with_its_pace(client):
    html = client.get(reverse("timelines")).text
    model = re.search(r'<p class="timeline-model">(.*?)</p>', html).group(1)
    assert f"focused learning (study, practice and its projects) at about {15} hours" in model
    assert timeline.MODEL_HOURS_PER_WEEK == 15
    assert "every total on this site is that sum" in model


def test_track_totals_on_every_page_are_the_models_sum_never_a_typed_figure(client):
    for track in track_list():
        total = track.road.total.label
        assert total != track.duration_label or track.slug in {"data", "ops"}
        for url in (reverse("track", args=[track.slug]), reverse("timelines"), reverse("home")):
            assert f"About {total}" in client.get(url).text, (track.slug, url)


def labels(html: str) -> list[str]:
    """Every text a reader meets as one label: SVG texts and titles, the description, table
    cells, the track totals and their parts."""
    found = re.findall(
        r"<(text|title|desc|tspan|th|td|li|span class=\"track-total-\w+\")[^>]*>(.*?)</", html, re.S
    )
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() for _, text in found]


def repeated_words(label: str) -> list[str]:
    """Any run of one to four words said twice in a row ("in total, in total")."""
    words = re.findall(r"[\w–+.-]+", label.lower())
    repeats = []
    for size in range(1, 5):
        for n in range(len(words) - 2 * size + 1):
            if words[n : n + size] == words[n + size : n + 2 * size]:
                repeats.append(" ".join(words[n : n + size]))
    return repeats


def test_no_label_repeats_itself(client):
    for url in (reverse("home"), reverse("timelines"), *public_urls()):
        for label in labels(client.get(url).text):
            assert not repeated_words(label), (url, label)


def test_the_label_check_catches_the_old_mistake():
    assert repeated_words("About 4–6 years in total · in total, including earlier work")


# --- JSON-LD ------------------------------------------------------------------------------------


def json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def iso_weeks(value: str) -> float:
    amount, unit = re.fullmatch(r"P(\d+)([YMW])", value).groups()
    return int(amount) * {"Y": 52, "M": WEEKS_PER_MONTH, "W": 1}[unit]


def test_a_level_page_describes_its_course_with_the_models_figures(client):
    stage = m.Stage.objects.select_related("track", "level").get(
        track__slug="web", level__slug="junior"
    )
    graph = json_ld(client.get(stage.get_absolute_url()).text)["@graph"]
    track_course, level_course = graph
    assert level_course["@type"] == "Course"
    assert level_course["educationalLevel"] == "Junior"
    assert iso_weeks(level_course["timeRequired"]) == pytest.approx(timeline.stage_weeks(stage)[1])
    assert level_course["coursePrerequisites"]["url"].endswith("/tracks/web/beginner/")
    resources = level_course["hasPart"]
    assert {r["@type"] for r in resources} == {"LearningResource"}
    expected = stage.course_links.count() + stage.reading_links.count()
    assert len(resources) == expected and expected
    road = next(t for t in track_list() if t.slug == "web").road
    assert track_course["educationalLevel"] == road.covers
    assert iso_weeks(track_course["timeRequired"]) == pytest.approx(road.total.high)


def test_an_open_ended_level_requires_its_short_end_and_a_first_level_its_track_before(client):
    expert = json_ld(client.get(reverse("level", args=["web", "expert"])).text)["@graph"][1]
    assert expert["timeRequired"] == "P2Y"
    first = json_ld(client.get(reverse("track", args=["data"])).text)["@graph"][1]
    assert first["educationalLevel"] == "Mid-level"
    assert first["coursePrerequisites"]["url"].endswith("/tracks/web/")


def test_json_ld_is_escaped_so_text_cannot_end_the_block(client):
    stage = m.Stage.objects.get(track__slug="web", level__slug="junior")
    stage.summary = "Fine </script><script>alert(1)</script> & <!-- more"
    stage.save()
    html = client.get(stage.get_absolute_url()).text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["@graph"][1]["description"] == stage.summary


# --- done when: one stage's duration changes, every page that shows it follows -----------------


def test_changing_one_stage_duration_changes_every_page_that_shows_it(client, tmp_path):
    pages = {
        "level": reverse("level", args=["web", "junior"]),
        "track": reverse("track", args=["web"]),
        "timelines": reverse("timelines"),
        "home": reverse("home"),
    }
    before = {name: client.get(url).text for name, url in pages.items()}
    assert "About 2.6–4.2 years" in before["track"]

    root = tmp_path / "content"
    shutil.copytree(SITE, root)
    junior = root / "tracks/web/junior.yaml"
    text = junior.read_text(encoding="utf-8")
    junior.write_text(
        text.replace("{min: 3, max: 6, unit: months}", "{min: 4, max: 7, unit: months}")
    )
    content_load(root=root, actor="tests")
    after = {name: client.get(url).text for name, url in pages.items()}

    assert "Typical time: <strong>4–7 months</strong>" in after["level"]
    assert "Junior 4–7 months" in after["home"] and "Junior 4–7 months" in after["timelines"]
    for name in ("track", "timelines", "home"):  # the total: 2.66–4.24 years now
        assert "About 2.7–4.2 years" in after[name], name
        assert "About 2.6–4.2 years" not in after[name], name
    assert '<span class="tab-meta">2.7–4.2 years</span>' in after["track"]
    level_course = json_ld(after["level"])["@graph"][1]
    assert level_course["timeRequired"] == "P7M"
    track_course = json_ld(after["track"])["@graph"][0]
    assert json_ld(before["track"])["@graph"][0]["timeRequired"] == "P216W"
    assert track_course["timeRequired"] == "P220W"
