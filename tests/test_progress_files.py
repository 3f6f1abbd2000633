"""Export (Markdown brag document, JSON) and import of the JSON on another device, including
files that are malformed, oversized or not ours."""

import json
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from roadmap.catalog import models as m
from roadmap.progress.models import Learner, Note, Tick
from roadmap.progress.selectors import SESSION_KEY

pytestmark = pytest.mark.django_db

JUNIOR, MID = "qgn88sqegp", "wo4tn3iile"
DEPLOYED, EXPLAIN, PORTFOLIO, TODO_APP = "giu85975il", "kwku8s7wac", "yo4tyfi5dw", "vuuj6czlho"
SECTIONS = [  # the brag-document template of content/guides/brag-document.md
    "## Projects",
    "## Design and Architecture",
    "## Mentoring and Team Building",
    "## Operational Excellence",
    "## Learning and Growth",
    "## What I Want to Do Next",
]


@pytest.fixture(autouse=True)
def catalog(valid_loaded, without_page_cache):
    return valid_loaded


@pytest.fixture
def progress(client) -> Client:
    """A learner with two criteria and a project ticked, and a note."""
    for item_id in (DEPLOYED, EXPLAIN, PORTFOLIO):
        client.post(reverse("progress:tick", args=[item_id]), {"done": "1"})
    client.post(reverse("progress:note", args=[JUNIOR]), {"text": "First deploy: Netlify.\nFun."})
    return client


def export(client) -> dict:
    response = client.get(reverse("progress:export_json"))
    assert response.status_code == 200
    return json.loads(response.content)


def upload(client, data: bytes, name: str = "progress.json"):
    file = SimpleUploadedFile(name, data, content_type="application/json")
    return client.post(reverse("progress:import"), {"file": file})


def state() -> tuple[set, set]:
    return set(Tick.objects.values_list("item_id", flat=True)), set(
        Note.objects.values_list("stage_id", "text")
    )


def test_the_json_export_is_marked_and_holds_every_tick_and_note(progress):
    response = progress.get(reverse("progress:export_json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="roadmap-progress-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert (data["format"], data["version"]) == ("roadmap-progress", 1)
    assert {t["id"] for t in data["ticks"]} == {DEPLOYED, EXPLAIN, PORTFOLIO}
    (portfolio,) = [t for t in data["ticks"] if t["id"] == PORTFOLIO]
    assert portfolio["track"] == "Web Development" and portfolio["level"] == "Junior"
    assert portfolio["text"] == "Personal portfolio site"
    assert data["notes"] == [
        {
            "stage": JUNIOR,
            "updated_at": data["notes"][0]["updated_at"],
            "track": "Web Development",
            "level": "Junior",
            "text": "First deploy: Netlify.\nFun.",
        }
    ]


def test_importing_the_export_in_a_fresh_browser_restores_every_tick_and_note(progress):
    data = export(progress)
    before = state()
    dates = dict(Tick.objects.values_list("item_id", "ticked_at"))
    progress.post(reverse("progress:reset"), {"confirm": "on"})
    assert state() == (set(), set())

    fresh = Client(headers={"Sec-Fetch-Site": "same-origin"})
    response = upload(fresh, json.dumps(data).encode())
    assert response.status_code == 303
    assert state() == before
    assert dict(Tick.objects.values_list("item_id", "ticked_at")) == dates
    page = fresh.get(response["Location"]).text
    assert "Imported 3 ticks and 1 note." in page
    assert page.count(" checked>") == 3


def learner_of(client) -> Learner:
    return Learner.objects.get(pk=client.session[SESSION_KEY])


def test_an_import_adds_to_the_ticks_there_and_replaces_the_same_levels_note(progress):
    data = export(progress)
    other = Client(headers={"Sec-Fetch-Site": "same-origin"})
    other.post(reverse("progress:tick", args=[TODO_APP]), {"done": "1"})
    other.post(reverse("progress:note", args=[JUNIOR]), {"text": "Mine"})
    other.post(reverse("progress:note", args=[MID]), {"text": "Kept"})
    upload(other, json.dumps(data).encode())
    learner = learner_of(other)
    ticks = set(learner.ticks.values_list("item_id", flat=True))
    assert ticks == {DEPLOYED, EXPLAIN, PORTFOLIO, TODO_APP}
    notes = dict(learner.notes.values_list("stage_id", "text"))
    assert notes == {JUNIOR: "First deploy: Netlify.\nFun.", MID: "Kept"}


def test_ticks_on_retired_items_travel_and_unknown_ids_are_skipped_and_reported(progress):
    m.StageItem.objects.filter(content_id=EXPLAIN).update(retired=True)
    data = export(progress)
    data["ticks"].append({"id": "zzzzzzzzzz"})
    data["notes"].append({"stage": "yyyyyyyyyy", "text": "from another site"})
    fresh = Client(headers={"Sec-Fetch-Site": "same-origin"})
    response = upload(fresh, json.dumps(data).encode())
    assert "2 entries point at nothing this site has" in fresh.get(response["Location"]).text
    restored = learner_of(fresh).ticks.values_list("item_id", flat=True)
    assert set(restored) == {DEPLOYED, EXPLAIN, PORTFOLIO}


NOT_OURS = "That file is not a Roadmap progress file"
DAMAGED = "That progress file is damaged"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", f"{NOT_OURS}: it is not JSON"),
        (b"{ticks: [", f"{NOT_OURS}: it is not JSON"),
        (b"[1, 2, 3]", f'{NOT_OURS}: it lacks the "format": "roadmap-progress" marker'),
        (b'{"name": "my-app", "version": "1.0.0"}', NOT_OURS),
        (b'{"format": "something-else", "version": 1}', NOT_OURS),
        (b'{"format": "roadmap-progress", "version": 2}', "has version 2, and this site reads"),
        (b'{"format": "roadmap-progress", "version": "1"}', 'has version "1"'),
        (b'{"format": "roadmap-progress", "version": 1, "ticks": "all"}', f"{DAMAGED} (ticks:"),
        (
            b'{"format": "roadmap-progress", "version": 1, "ticks": [{"id": "<b>x</b>"}]}',
            f"{DAMAGED} (ticks[0].id: String should match pattern",
        ),
        (
            b'{"format": "roadmap-progress", "version": 1, "ticks": [{"id": "abcdefghij",'
            b' "ticked_at": "yesterday"}]}',
            f"{DAMAGED} (ticks[0].ticked_at:",
        ),
        (
            b'{"format": "roadmap-progress", "version": 1, "notes": [{"stage": "abcdefghij",'
            b' "text": "' + b"x" * 5001 + b'"}]}',
            f"{DAMAGED} (notes[0].text: String should have at most 5000 characters",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "it is not JSON"),
        (
            b'{"format": "roadmap-progress", "version": 1, "pad": "' + b"x" * 300_000 + b'"}',
            "too big",
        ),
    ],
    ids=[
        "binary",
        "broken-json",
        "json-list",
        "package-json",
        "other-format",
        "future-version",
        "version-as-text",
        "ticks-not-a-list",
        "bad-id",
        "bad-date",
        "note-too-long",
        "deeply-nested",
        "oversized",
    ],
)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(progress, data, message):
    before = state()
    response = upload(progress, data)
    assert response.status_code == 400
    assert message in unescape(response.text)
    assert "Nothing was changed." in response.text
    assert 'aria-invalid="true"' in response.text
    assert state() == before


def test_importing_without_a_file_or_an_empty_file_changes_nothing(progress):
    before = state()
    assert "Choose the .json file" in progress.post(reverse("progress:import"), {}).text
    assert "That file is empty." in upload(progress, b"").text
    assert state() == before


def test_the_markdown_export_is_a_brag_document_started_with_the_ticked_items(progress):
    response = progress.get(reverse("progress:export_markdown"))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="brag-document-')
    text = response.content.decode()
    assert text.startswith("# Brag document: [your name], [quarter and year]\n")
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    projects = text[positions[0] : positions[1]]
    assert "### Web Development · Junior" in projects
    assert "- Personal portfolio site (ticked 20" in projects
    assert "  - Skills shown: Deploying and responsive layout." in projects
    assert "A to-do list" not in projects  # not ticked
    learning = text[positions[4] : positions[5]]
    assert "Ready for the next level: 2 of 2." in learning
    assert "- You deployed a small site from scratch. (ticked 20" in learning
    assert "> First deploy: Netlify.\n> Fun." in learning
    assert "- Next quarter I would like to: [goals]" in text[positions[5] :]


def test_the_markdown_export_lists_what_is_still_to_do_on_each_touched_level(client):
    client.post(reverse("progress:tick", args=[DEPLOYED]), {"done": "1"})
    text = client.get(reverse("progress:export_markdown")).content.decode()
    next_steps = text[text.index("## What I Want to Do Next") :]
    assert "- Still to do for Web Development · Junior:" in next_steps
    assert "  - You can explain what happens when a browser loads a page." in next_steps


def test_the_markdown_export_without_progress_is_the_empty_template(client):
    text = client.get(reverse("progress:export_markdown")).content.decode()
    assert all(section in text for section in SECTIONS)
    assert "- [Project]: [what it is, in one sentence]" in text
    assert "###" not in text
