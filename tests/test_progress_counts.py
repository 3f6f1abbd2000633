"""Progress as the selectors read it: per-level counts, the overview, and ticks that survive
whatever a content load does to the items they point at."""

from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from roadmap.catalog import models as m
from roadmap.content.loader import content_load
from roadmap.progress import selectors, services
from roadmap.progress.models import Learner, Note, Tick

pytestmark = pytest.mark.django_db

JUNIOR, MID, DATA = "qgn88sqegp", "wo4tn3iile", "y5cr83u9zy"  # stage ids of the fixture tree
DEPLOYED, EXPLAIN = "giu85975il", "kwku8s7wac"  # web junior "ready when"
PORTFOLIO, TODO_APP = "yo4tyfi5dw", "vuuj6czlho"  # web junior projects
SHIPPED = "k0fp5kgpzi"  # web mid-level "ready when"


@pytest.fixture
def tree(valid_content) -> Path:
    return valid_content


@pytest.fixture
def learner(tree) -> Learner:
    return Learner.objects.create()


def tick(learner: Learner, *item_ids: str) -> None:
    for item_id in item_ids:
        item = m.StageItem.objects.get(content_id=item_id)
        services.tick_set(learner_id=learner.pk, item=item, done=True)


def counts(learner: Learner | None, track: str = "web") -> dict[str, tuple[int, int, int, int]]:
    found = selectors.level_progress_list(
        track=m.Track.objects.get(slug=track, retired=False),
        learner_id=learner.pk if learner else None,
    )
    return {
        stage_id: (p.ready_done, p.ready_total, p.projects_done, p.projects_total)
        for stage_id, p in found.items()
    }


def reload(root: Path, edits: dict[str, list[tuple[str, str]]]) -> None:
    for name, replacements in edits.items():
        path = root / name
        text = path.read_text()
        for old, new in replacements:
            assert old in text, f"{old!r} not in {name}"
            text = text.replace(old, new, 1)
        path.write_text(text)
    content_load(root=root, actor="tests")


def test_counts_cover_every_level_of_a_track_in_one_query(learner):
    tick(learner, DEPLOYED, PORTFOLIO, SHIPPED)
    track = m.Track.objects.get(slug="web")
    with CaptureQueriesContext(connection) as queries:
        selectors.level_progress_list(track=track, learner_id=learner.pk)
    assert len(queries) == 1
    assert counts(learner) == {JUNIOR: (1, 2, 1, 2), MID: (1, 2, 0, 2)}


def test_a_visitor_without_progress_sees_totals_and_nothing_done(tree):
    assert counts(None) == {JUNIOR: (0, 2, 0, 2), MID: (0, 2, 0, 2)}


def test_a_page_never_reads_the_session_of_a_visitor_without_a_session_cookie(tree):
    request = RequestFactory().get("/tracks/web/junior/")
    request.session = SessionStore()
    stage = m.Stage.objects.select_related("track").get(content_id=JUNIOR)
    with CaptureQueriesContext(connection) as queries:
        progress = selectors.page_progress_get(request=request, track=stage.track, stage=stage)
    assert progress == selectors.PageProgress(track=stage.track, stage=stage)
    assert not request.session.accessed  # so the page gets no `Vary: Cookie` and stays cacheable
    assert len(queries) == 0


def test_a_page_reads_the_learners_ticks_notes_and_level_in_one_query_until_they_change(
    learner, client
):
    from roadmap.progress.learner_state import learner_state_changed

    tick(learner, DEPLOYED)
    junior = m.Stage.objects.get(content_id=JUNIOR)
    services.note_save(learner_id=learner.pk, stage=junior, text="hi")
    request = RequestFactory().get("/tracks/web/junior/", headers={"Cookie": "sessionid=x"})
    request.session = SessionStore()
    request.session[selectors.SESSION_KEY] = str(learner.pk)
    stage = m.Stage.objects.select_related("track").get(content_id=JUNIOR)

    def page() -> tuple[int, selectors.PageProgress]:
        with CaptureQueriesContext(connection) as queries:
            progress = selectors.page_progress_get(request=request, track=stage.track, stage=stage)
        return sum("progress_tick" in q["sql"] for q in queries.captured_queries), progress

    assert page()[0] == 1  # ticks, notes and last level in one query (and the visit noted)
    reads, progress = page()
    assert reads == 0  # this process kept them: the session says nothing changed
    assert progress.ticked == {DEPLOYED}
    assert progress.note == "hi"
    assert progress.count(stage).ready_done == 1
    services.note_save(learner_id=learner.pk, stage=junior, text="changed")
    learner_state_changed(session=request.session)  # as every write of progress does
    reads, progress = page()
    assert reads == 1 and progress.note == "changed"


def test_ticks_survive_a_reload_that_reorders_moves_and_edits_items(tree, learner):
    tick(learner, DEPLOYED, EXPLAIN, PORTFOLIO)
    junior = m.Stage.objects.get(content_id=JUNIOR)
    services.note_save(learner_id=learner.pk, stage=junior, text="Deployed on a Sunday.")
    moved = (
        "  - id: kwku8s7wac\n    text: You can explain what happens when a browser loads a page.\n"
    )
    reload(
        tree,
        {
            # EXPLAIN moves up a level, the projects swap places, an unrelated skill is edited
            "tracks/web/junior.yaml": [
                (moved, ""),
                (
                    "  - id: yo4tyfi5dw\n    title: Personal portfolio site\n"
                    "    teaches: Deploying and responsive layout.\n",
                    "",
                ),
                (
                    "    teaches: Forms, validation and persistence.\n",
                    "    teaches: Forms, validation and persistence.\n"
                    "  - id: yo4tyfi5dw\n    title: Personal portfolio site\n"
                    "    teaches: Deploying and responsive layout.\n",
                ),
                ("HTML and CSS fundamentals", "HTML, CSS and accessibility fundamentals"),
            ],
            "tracks/web/mid-level.yaml": [("ready_when:\n", "ready_when:\n" + moved)],
        },
    )
    assert m.StageItem.objects.get(content_id=EXPLAIN).stage.content_id == MID
    assert m.StageItem.objects.get(content_id=PORTFOLIO).order == 1
    assert set(Tick.objects.values_list("item_id", flat=True)) == {DEPLOYED, EXPLAIN, PORTFOLIO}
    assert counts(learner) == {JUNIOR: (1, 1, 1, 2), MID: (1, 3, 0, 2)}
    assert Note.objects.get().text == "Deployed on a Sunday."


def test_a_retired_items_tick_is_kept_but_not_counted_and_counts_again_if_it_returns(tree, learner):
    tick(learner, DEPLOYED, TODO_APP)
    todo = (
        "  - id: vuuj6czlho\n    title: A to-do list with a database\n"
        "    teaches: Forms, validation and persistence.\n"
    )
    original = (tree / "tracks/web/junior.yaml").read_text()
    reload(tree, {"tracks/web/junior.yaml": [(todo, "")]})
    assert m.StageItem.objects.get(content_id=TODO_APP).retired
    assert Tick.objects.filter(item_id=TODO_APP).exists()
    assert counts(learner)[JUNIOR] == (1, 2, 0, 1)
    overview = selectors.progress_overview_get(learner_id=learner.pk)
    assert overview.hidden_ticks == 1

    (tree / "tracks/web/junior.yaml").write_text(original)
    content_load(root=tree, actor="tests")
    assert counts(learner)[JUNIOR] == (1, 2, 1, 2)


def test_items_an_admin_hides_do_not_count_and_a_hidden_track_shows_nothing(tree, learner):
    tick(learner, DEPLOYED, EXPLAIN)
    m.StageItem.objects.filter(content_id=EXPLAIN).update(published=False)
    assert counts(learner)[JUNIOR] == (1, 1, 0, 2)
    m.Track.objects.filter(slug="web").update(published=False)
    assert counts(learner) == {}
    assert selectors.progress_overview_get(learner_id=learner.pk).empty


def test_the_overview_lists_touched_tracks_and_levels_in_catalogue_order_in_three_queries(
    learner,
):
    tick(learner, "kvd1usrrcj", SHIPPED, PORTFOLIO)
    services.note_save(
        learner_id=learner.pk, stage=m.Stage.objects.get(content_id=DATA), text="Later."
    )
    with CaptureQueriesContext(connection) as queries:
        overview = selectors.progress_overview_get(learner_id=learner.pk)
    assert len(queries) == 3
    assert [(t.track.slug, [lv.stage.level.slug for lv in t.levels]) for t in overview.tracks] == [
        ("web", ["junior", "mid-level"]),
        ("data", ["mid-level"]),
    ]
    junior = overview.tracks[0].levels[0]
    assert [i.content_id for i in junior.ticked] == [PORTFOLIO]
    assert {i.content_id for i in junior.open} == {DEPLOYED, EXPLAIN, TODO_APP}
    assert overview.tracks[1].levels[0].note == "Later."
    assert overview.hidden_ticks == 0


def test_a_level_with_only_a_note_is_listed(learner):
    services.note_save(learner_id=learner.pk, stage=m.Stage.objects.get(content_id=MID), text="x")
    (track,) = selectors.progress_overview_get(learner_id=learner.pk).tracks
    assert [level.stage.content_id for level in track.levels] == [MID]


def test_the_dry_run_count_is_of_learners_not_of_ticks(learner):
    tick(learner, DEPLOYED, EXPLAIN)
    other = Learner.objects.create()
    tick(other, DEPLOYED)
    assert selectors.tick_learner_count(item_ids=[DEPLOYED, EXPLAIN]) == 2
    assert selectors.tick_learner_count(item_ids=[EXPLAIN]) == 1
    assert selectors.tick_learner_count(item_ids=[]) == 0


def test_a_learner_is_created_on_the_first_write_and_reused_after(tree):
    session = SessionStore()
    assert selectors.learner_id_get(session=session) is None
    first = services.learner_get_or_create(session=session)
    assert services.learner_get_or_create(session=session) == first
    assert Learner.objects.count() == 1
    session[selectors.SESSION_KEY] = "not-a-uuid"
    assert selectors.learner_id_get(session=session) is None


def test_reset_deletes_the_learner_with_every_tick_and_note(learner):
    tick(learner, DEPLOYED)
    services.note_save(learner_id=learner.pk, stage=m.Stage.objects.get(content_id=MID), text="x")
    session = SessionStore()
    session[selectors.SESSION_KEY] = str(learner.pk)
    services.progress_reset(session=session)
    assert (Learner.objects.count(), Tick.objects.count(), Note.objects.count()) == (0, 0, 0)
    assert selectors.SESSION_KEY not in session


def test_pruning_deletes_only_learners_untouched_for_longer_than_a_session_lives(learner):
    old = Learner.objects.create()
    Learner.objects.filter(pk=old.pk).update(changed_at="2000-01-01T00:00:00Z")
    cutoff = services.learner_prune_cutoff(session_age_seconds=365 * 24 * 3600)
    assert services.learner_prune(unchanged_since=cutoff) == 1
    assert list(Learner.objects.all()) == [learner]


def test_the_prune_command_says_how_many_learners_it_deleted(learner, capsys):
    from django.core.management import call_command

    Learner.objects.filter(pk=learner.pk).update(changed_at="2000-01-01T00:00:00Z")
    call_command("prune_progress")
    assert capsys.readouterr().out.startswith("Deleted the progress of 1 learner(s) unchanged")
    assert not Learner.objects.exists()
