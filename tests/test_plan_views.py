"""/plan/ through its URLs on the site fixture tree: the pace calculator, the week plan and its
downloads, a learner's own ticks and remembered pace, visitors who only look, and bad input.

Web Development in the tree: Beginner 4–8 weeks (two criteria, one project), Junior 3–6 months
(three criteria, two projects), Mid-level 6–12 months, Senior 1–2 years, Expert 2+ years. At the
model's 15 hours a week a Beginner item is 20–40 hours, a Junior item 39–78.
"""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from icalendar import Calendar

from roadmap.plan import views
from roadmap.progress.models import Learner

pytestmark = pytest.mark.usefixtures("site_content", "without_page_cache")

TODAY = date(2027, 1, 4)  # a Monday
BEGINNER_READY = ["ifwi9xcbe2", "cnphmjuad8"]  # in the page's order
BEGINNER_PROJECT = "qtsfbu1wxi"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(views, "_today", lambda: TODAY)


def rows(html: str) -> dict[str, list[str]]:
    """The calculator's table: level name → its cells, as text."""
    found = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", html, re.S):
        cells = [_text(cell) for cell in re.split(r"</t[hd]><td>", row)]
        found[cells[0]] = cells[1:]
    return found


def week(html: str) -> list[str]:
    """The week plan's items, as text, in order."""
    listed = re.search(r'<ol class="plan-checklist">(.*?)</ol>', html, re.S)
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)]


def notice(html: str) -> str:
    found = re.search(r'<div class="notice notice-warning" role="alert">(.*?)</div>', html, re.S)
    return _text(found.group(1)) if found else ""


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def tick(client, *item_ids: str) -> None:
    for item_id in item_ids:
        assert client.post(f"/progress/items/{item_id}/", {"done": "1"}).status_code == 303


# --- the calculator -------------------------------------------------------------------------


def test_the_calculator_shows_the_chosen_level_and_each_one_after_it_up_to_senior(client):
    html = client.get("/plan/?track=web&level=beginner&hours=15").text
    table = rows(html)
    assert list(table) == ["Beginner", "Junior", "Mid-level", "Senior"]  # never Expert
    # at the model's own pace a level takes what the timeline says
    assert table["Beginner"] == [
        "3 of 3",
        "60–120 hours",
        "4–8 weeks",
        "now",
        "between February 1, 2027 and March 1, 2027",
    ]
    assert table["Junior"][1:3] == ["195–390 hours", "3–6 months"]
    assert table["Senior"][2] == "1–2 years"
    assert "You would be through the learning before Senior between" in _text(html)
    # and the dates are not the title's: the model's time that is not study is named beside them
    assert "These dates count study only." in _text(html)


def test_more_hours_a_week_make_every_level_shorter(client):
    at_15 = rows(client.get("/plan/?track=web&hours=15").text)
    at_30 = rows(client.get("/plan/?track=web&hours=30").text)
    assert at_15["Beginner"][1] == at_30["Beginner"][1] == "60–120 hours"  # the same work
    assert at_30["Beginner"][2] == "2–4 weeks"
    assert at_30["Beginner"][4] == "between January 18, 2027 and February 1, 2027"


def test_without_a_level_it_starts_where_the_track_starts(client):
    assert list(rows(client.get("/plan/?track=data&hours=10").text)) == ["Mid-level", "Senior"]


def test_a_level_after_senior_shows_that_level_alone_and_its_open_end(client):
    html = client.get("/plan/?track=web&level=expert&hours=15").text
    (expert,) = rows(html).values()
    assert expert[1:3] == ["at least 1560 hours", "at least 2 years"]
    assert expert[4].startswith("not before ")


def test_the_figures_follow_a_stages_duration_in_the_content(client):
    from roadmap.catalog.models import Stage

    Stage.objects.filter(content_id="m9tso6beyr").update(duration_max=10)  # web beginner
    assert rows(client.get("/plan/?track=web&hours=15").text)["Beginner"][1:3] == [
        "60–150 hours",
        "4–10 weeks",
    ]


def test_only_start_here_resources_count_and_only_where_they_take_longer(client):
    from roadmap.catalog.models import Course

    Course.objects.filter(slug="server-apps").update(effort_min=500, effort_max=900)  # go deeper
    assert rows(client.get("/plan/?track=web&hours=15").text)["Junior"][1] == "195–390 hours"
    Course.objects.filter(slug="web-basics").update(effort_min=500, effort_max=900)  # start here
    junior = rows(client.get("/plan/?track=web&hours=15").text)["Junior"]
    assert junior[1] == "505–910 hours"  # with the start-here reading's 4–8 hours


def test_a_learner_sees_the_time_left_from_their_own_unticked_items(client):
    tick(client, *BEGINNER_READY)
    html = client.get("/plan/?track=web&level=beginner&hours=10").text
    table = rows(html)
    assert table["Beginner"][:3] == ["1 of 3", "20–40 hours", "2–4 weeks"]
    assert table["Junior"][0] == "5 of 5"
    assert "Counted from your own ticks: 2 of the criteria and projects" in _text(html)


# --- the week plan -------------------------------------------------------------------------


def test_the_week_plan_takes_the_next_items_in_order_until_the_hours_are_used(client):
    html = client.get("/plan/?track=web&level=beginner&hours=60").text
    items = week(html)
    assert len(items) == 2  # two Beginner items of about 30 hours each
    assert items[0].startswith("You finished a Web beginner task without help.")
    assert "Beginner criterion · about 30 hours this week" in items[0]
    assert "Start with: Web pages from scratch" in items[0]
    assert "January 4, 2027 to January 10, 2027: about 60 hours" in _text(html)


def test_a_week_shorter_than_the_next_item_plans_a_start_on_it(client):
    (item,) = week(client.get("/plan/?track=web&level=beginner&hours=5").text)
    assert "about 5 hours this week, a start on it (the whole takes about 20–40 hours)" in item


def test_next_weeks_plan_follows_from_what_the_learner_ticked(client):
    tick(client, *BEGINNER_READY, BEGINNER_PROJECT)
    items = week(client.get("/plan/?track=web&level=beginner&hours=50").text)
    assert items[0].startswith("You finished a Web junior task without help.")
    assert "Junior criterion" in items[0]
    assert not any("Web beginner" in item for item in items)


def test_with_everything_ticked_there_is_nothing_left_to_plan(client):
    from roadmap.catalog.models import ItemKind, StageItem

    items = StageItem.objects.filter(
        stage__track__slug="web", kind__in=[ItemKind.READY_WHEN, ItemKind.PROJECT]
    )
    tick(client, *items.values_list("content_id", flat=True))
    html = client.get("/plan/?track=web&level=senior&hours=10").text
    assert rows(html)["Senior"] == ["0 of 3", "0 hours", "nothing left", "now", "now"]
    assert "nothing left to plan on this track" in html
    assert client.get("/plan/week.ics?track=web&level=senior&hours=10").status_code == 200


def test_the_calendar_file_has_one_event_per_item_spread_over_the_week(client):
    response = client.get("/plan/week.ics?track=web&level=beginner&hours=60")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="roadmap-week-web-2027-01-04.ics"' in response["Content-Disposition"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "You finished a Web beginner task without help.",
        "You can explain your Web beginner work to a colleague.",
    ]
    starts = [e.decoded("DTSTART") for e in events]
    ends = [e.decoded("DTEND") for e in events]
    assert starts == [TODAY, TODAY + timedelta(days=3)]  # half the week each
    assert ends[-1] == TODAY + timedelta(days=7)
    assert all(start < end for start, end in zip(starts, ends, strict=True))
    assert len({str(e["UID"]) for e in events}) == 2
    first = events[0]
    assert str(first["URL"]) == "http://testserver/tracks/web/beginner/#item-ifwi9xcbe2"
    assert "Start with: Web pages from scratch (https://academy.example.org/web-basics)" in str(
        first["DESCRIPTION"]
    )


def test_the_markdown_file_is_a_checklist_with_links(client):
    response = client.get("/plan/week.md?track=web&level=beginner&hours=60")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# My week on Roadmap: Web Development, January 4, 2027 to January 10")
    assert "- [ ] **You finished a Web beginner task without help.**\n" in text
    assert "  - Start with: [Web pages from scratch](https://academy.example.org/web-basics)\n" in (
        text
    )
    assert "  - On its level page: <http://testserver/tracks/web/beginner/#item-ifwi9xcbe2>" in text
    assert text.count("- [ ] ") == 2


def test_htmx_gets_the_result_alone_and_history_restores_get_the_page(client):
    partial = client.get("/plan/?track=web&hours=10", headers=HTMX)
    assert partial.text.startswith("<title>Plan your pace — Roadmap</title>")
    assert '<div id="plan-result"' in partial.text and "<h1>" not in partial.text
    assert "HX-Request" in partial["Vary"]
    status = re.search(r'<p id="plan-status"[^>]*hx-swap-oob="true">(.*?)</p>', partial.text)
    assert status.group(1).startswith(
        "Web Development at 10 hours a week. You would be through the learning before Senior"
    )
    restore = {**HTMX, "HX-History-Restore-Request": "true"}
    page = client.get("/plan/?track=web&hours=10", headers=restore)
    assert "<h1>Plan your pace</h1>" in page.text


# --- lookers, learners and their pace --------------------------------------------------------


def test_a_visitor_who_only_looks_gets_no_session_and_no_learner(client):
    for url in ["/plan/", "/plan/?track=web&hours=10", "/plan/week.ics?track=web&hours=10"]:
        response = client.get(url)
        assert not response.cookies, url
        assert "cookie" not in response.get("Vary", "").lower(), url
    assert not Session.objects.exists() and not Learner.objects.exists()


def test_remember_my_pace_starts_progress_and_keeps_the_hours(client):
    html = client.get("/plan/?track=web&hours=12").text
    assert 'action="/plan/pace/"' in html and "Remember 12 hours a week" in html
    data = {"track": "web", "level": "beginner", "hours": "12"}
    response = client.post("/plan/pace/", data)
    assert response.status_code == 303
    assert response["Location"] == "/plan/?track=web&level=beginner&hours=12"
    assert Learner.objects.get().hours_per_week == 12
    assert "12 hours a week" in client.get("/plan/?track=web").text  # remembered


def test_remember_my_pace_refuses_a_post_from_another_site():
    response = Client(headers={"Sec-Fetch-Site": "cross-site"}).post(
        "/plan/pace/", {"track": "web", "hours": "12"}
    )
    assert response.status_code == 403
    assert not Learner.objects.exists()


def test_a_learners_chosen_hours_are_remembered_and_used_when_none_are_given(client):
    tick(client, BEGINNER_PROJECT)
    client.get("/plan/?track=web&hours=7")
    assert Learner.objects.get().hours_per_week == 7
    response = client.get("/plan/?track=web")
    assert "Web Development at 7 hours a week" in _text(response.text)
    assert "The pace is the one you chose last time." in _text(response.text)
    assert "no-store" in response["Cache-Control"]  # theirs alone
    assert "Cookie" in response["Vary"]


def test_a_bad_value_never_overwrites_the_remembered_pace(client):
    tick(client, BEGINNER_PROJECT)
    client.get("/plan/?track=web&hours=7")
    client.get("/plan/?track=web&hours=99")
    assert Learner.objects.get().hours_per_week == 7


# --- bad input -----------------------------------------------------------------------------

HOURS_RULE = "a whole number from 1 to 60"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("track=web", "How many hours a week do you have? Give " + HOURS_RULE),
        ("track=web&hours=", "How many hours a week do you have?"),
        ("track=web&hours=0", f"Hours a week must be {HOURS_RULE}, not 0."),
        ("track=web&hours=-5", f"Hours a week must be {HOURS_RULE}, not -5."),
        ("track=web&hours=61", f"Hours a week must be {HOURS_RULE}, not 61."),
        ("track=web&hours=" + "9" * 5000, f"Hours a week must be {HOURS_RULE}, not 9999999999…"),
        ("track=web&hours=ten", f"“ten” is not a number of hours: give {HOURS_RULE}."),
        ("track=web&hours=7.5", "“7.5” is not a number of hours"),
        ("track=web&hours=1e3", "“1e3” is not a number of hours"),
        ("track=web&hours=%D9%A3", "is not a number of hours"),  # an Arabic-Indic digit
        ("track=web&hours=5&hours=6", "Give one number of hours a week, not several."),
        ("track=web&track=ops&hours=5", "Choose one track, not several."),
        ("hours=5", "Choose a track."),
        ("track=web&level=wizard&hours=5", "There is no level “wizard”: choose one from the list."),
        ("track=data&level=beginner&hours=5", "Data Analysis has no Beginner level"),
    ],
)
def test_bad_input_shows_the_form_with_a_clear_message(client, query, message):
    response = client.get(f"/plan/?{query}")
    assert response.status_code == 200
    assert message in notice(response.text)
    assert '<form class="filters plan-form"' in response.text
    assert not rows(response.text)


@pytest.mark.parametrize("url", ["/plan/week.ics", "/plan/week.md"])
@pytest.mark.parametrize(
    "query", ["", "track=web", "track=web&hours=abc", "track=web&hours=5&hours=9"]
)
def test_a_download_without_a_plan_says_why_on_the_page(client, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert notice(response.text)


def test_repeating_the_same_value_is_not_a_problem(client):
    html = client.get("/plan/?track=web&track=web&hours=10&hours=10").text
    assert not notice(html) and rows(html)


@pytest.mark.parametrize("url", ["/plan/", "/plan/week.ics", "/plan/week.md"])
def test_an_unknown_track_is_not_found(client, url):
    response = client.get(f"{url}?track=no-such-track&hours=10")
    assert response.status_code == 404
    assert "no-such-track" in response.text


def test_opening_the_page_asks_for_nothing_yet(client):
    html = client.get("/plan/").text
    assert not notice(html)
    assert "Choose a track and your hours a week" in html


def test_the_time_that_is_not_study_is_named_for_the_levels_ahead_only(client):
    def not_study(url: str) -> str:
        found = re.search(r'<p class="plan-not-study">(.*?)</p>', client.get(url).text, re.S)
        return _text(found.group(1)) if found else ""

    from_start = not_study("/plan/?track=web&hours=10")
    assert "Job search for a first developer role, 3–6 months" in from_start
    assert "Working at Mid-level before the Senior title, 9–12 months" in from_start
    from_mid = not_study("/plan/?track=web&level=mid-level&hours=10")
    assert "Job search" not in from_mid and "Working as a Junior developer" not in from_mid
    assert "Working at Mid-level before the Senior title" in from_mid
    assert not_study("/plan/?track=web&level=senior&hours=10") == ""  # past the title's road
