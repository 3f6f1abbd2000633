"""Faults in production mode: the site (gunicorn, 2 workers) on its own PostgreSQL cluster and
its own redis-server, which these tests stop, pause, fill and kill. For each fault: what a
learner sees, what /healthz says, what is left in the database, and that the site recovers
without being restarted.

Run: `.venv/bin/python -m pytest -m faults tests/faults -p no:cacheprovider` (.ci/run does).
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .servers import (
    REPO,
    Browser,
    PostgresCluster,
    RedisServer,
    Site,
    first_tickable,
    ticked_on_page,
    wait_until,
)

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    work = tmp_path_factory.mktemp("faults")
    postgres = PostgresCluster()
    redis = RedisServer(work)
    site = None
    try:
        redis.start()
        site = Site(work / "site", postgres.url, redis.url)
        site.start()
        yield postgres, redis, site
    finally:
        if site:
            site.stop()
        redis.stop()
        postgres.remove()


@pytest.fixture
def learner(servers):
    """A learner who has ticked one item: (browser, level page, tick path)."""
    _, _, site = servers
    level, tick = first_tickable(site)
    browser = Browser(site)
    assert browser.post(tick, {"done": "1", "next": level}).status == 303
    assert "sessionid" in browser.cookies
    return browser, level, tick


def rows(site: Site) -> dict:
    """What the database holds of learners and sessions."""
    counts = site.shell(
        "from roadmap.progress.models import Learner, Note, Tick\n"
        "from django.contrib.sessions.models import Session\n"
        "from roadmap.progress.selectors import SESSION_KEY\n"
        "pointed = {s.get_decoded().get(SESSION_KEY) for s in Session.objects.all()}\n"
        "learners = {str(pk) for pk in Learner.objects.values_list('pk', flat=True)}\n"
        "print(len(learners), Tick.objects.count(), Note.objects.count(),"
        " len(learners - pointed), len(pointed - learners - {None}))"
    )
    learners, ticks, notes, orphans, dangling = map(int, counts.split())
    return {
        "learners": learners,
        "ticks": ticks,
        "notes": notes,
        "learners without a session": orphans,
        "sessions pointing at nothing": dangling,
    }


def healthy(site: Site) -> bool:
    return site.health()[0] == 200


# --- Redis ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["stopped", "paused"])
def test_with_redis_down_every_page_renders_and_ticks_save(servers, learner, fault):
    postgres, redis, site = servers
    browser, level, tick = learner
    newcomer = Browser(site)
    (redis.stop if fault == "stopped" else redis.pause)()
    try:
        status, checks = site.health()
        assert status == 503
        assert checks["database"] == "ok"
        assert checks["cache"] != "ok"  # the reason, e.g. "ConnectionError: ..." or "Timeout..."

        page = browser.get(level)
        assert page.status == 200 and ticked_on_page(page.text, tick)  # their ticks show
        assert Browser(site).get("/").status == 200  # anonymous pages too
        assert browser.post(tick, {"next": level}).status == 303  # untick
        assert not ticked_on_page(browser.get(level).text, tick)
        assert browser.post(tick, {"done": "1", "next": level}).status == 303
        assert ticked_on_page(browser.get(level).text, tick)
        # A new visitor's first tick creates the learner and its session together.
        assert newcomer.post(tick, {"done": "1", "next": level}).status == 303
        assert ticked_on_page(newcomer.get(level).text, tick)
        note = newcomer.post(f"/progress/levels/{_stage_of(site, tick)}/note/", {"text": "hi"})
        assert note.status == 303
    finally:
        redis.start() if fault == "stopped" else redis.resume()
    wait_until(lambda: healthy(site), "the cache check to recover")
    assert ticked_on_page(newcomer.get(level).text, tick)
    left = rows(site)
    assert left["learners without a session"] == 0
    assert left["sessions pointing at nothing"] == 0


def _stage_of(site: Site, tick_path: str) -> str:
    item_id = tick_path.rstrip("/").split("/")[-1]
    return site.shell(
        "from roadmap.catalog.models import StageItem\n"
        f"print(StageItem.objects.get(content_id='{item_id}').stage.content_id)"
    )


# --- PostgreSQL -----------------------------------------------------------------------------


def test_with_postgres_stopped_learners_get_a_503_that_says_so_and_nothing_is_half_saved(
    servers, learner
):
    postgres, redis, site = servers
    browser, level, tick = learner
    assert Browser(site).get("/").status == 200  # cached in Redis before the fault
    before = rows(site)
    forget_the_current_version(site)  # as when its short-lived copy expires during an outage
    postgres.stop()
    try:
        status, checks = site.health()
        assert status == 503
        assert checks["cache"] == "ok"
        assert checks["database"].startswith("OperationalError")

        answer = browser.post(tick, {"next": level})
        assert answer.status == 503
        assert "cannot reach its database" in answer.text and "Nothing was changed" in answer.text
        assert browser.get("/progress/").status == 503
        assert Browser(site).get("/").status == 200  # served from the shared cache
    finally:
        postgres.start()
    wait_until(lambda: healthy(site), "the database check to recover")
    assert rows(site) == before
    assert ticked_on_page(browser.get(level).text, tick)  # the untick never happened
    assert browser.post(tick, {"next": level}).status == 303  # and now it does
    assert not ticked_on_page(browser.get(level).text, tick)


def forget_the_current_version(site: Site) -> None:
    """Drop the shared copy of the content version and tell every worker to ask for it again."""
    site.shell(
        "from django.core.cache import cache\n"
        "from roadmap.ops.content_version import CACHE_KEY, _channel, _redis\n"
        "cache.delete(CACHE_KEY)\n"
        "print(_redis().publish(_channel(), 'forget'))"
    )


def test_with_postgres_refusing_writes_ticks_answer_503_and_healthz_says_why(servers, learner):
    postgres, redis, site = servers
    browser, level, tick = learner
    newcomer = Browser(site)
    before = rows(site)
    postgres.read_only(True)
    try:
        wait_until(lambda: not healthy(site), "/healthz to notice")
        status, checks = site.health()
        assert checks["database"] == (
            "InternalError: cannot execute INSERT in a read-only transaction"
        )
        assert browser.get(level).status == 200  # reading still works
        answer = browser.post(tick, {"next": level})  # untick
        assert answer.status == 503 and "Nothing was changed" in answer.text
        answer = newcomer.post(tick, {"done": "1", "next": level})  # a first tick
        assert answer.status == 503 and "Nothing was changed" in answer.text
    finally:
        postgres.read_only(False)
    wait_until(lambda: healthy(site), "the database check to recover")
    assert rows(site) == before  # no learner, tick or session from the refused writes
    assert newcomer.post(tick, {"done": "1", "next": level}).status == 303


# --- gunicorn -------------------------------------------------------------------------------


def test_a_worker_killed_under_load_is_replaced_and_leaves_no_half_saved_tick(servers):
    postgres, redis, site = servers
    level, tick = first_tickable(site)
    results: list[tuple[float, int]] = []  # (when the request started, its status)
    stop = threading.Event()

    def visitor():
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = Browser(site).post(tick, {"done": "1", "next": level}).status
            except OSError:
                status = 0  # the connection the killed worker held
            results.append((started, status))

    threads = [threading.Thread(target=visitor) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: len(results) > 20, "load to build up")
        os.kill(site.worker_pids()[0], signal.SIGKILL)
        wait_until(lambda: len(site.worker_pids()) == 2, "gunicorn to replace the worker")
        replaced = time.monotonic()
        wait_until(lambda: sum(t > replaced for t, _ in results) > 20, "requests after the kill")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert {status for started, status in results if started > replaced} == {303}
    assert {status for _, status in results} <= {303, 0}
    left = rows(site)
    assert left["learners without a session"] == 0
    assert left["sessions pointing at nothing"] == 0
    assert healthy(site)


# --- content loads --------------------------------------------------------------------------

KILL_BEFORE_COMMIT = """
import os, signal, django
django.setup()
from roadmap.search import index
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
index.search_index_rebuild = killed
from django.core.management import call_command
call_command("load_content")
"""

KILL_AFTER_COMMIT = """
import os, signal, django
django.setup()
from django.db import transaction
import roadmap.search.signals as after_load
bump = after_load.content_version_bump
def bump_then_die_on_commit():
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    return bump()
after_load.content_version_bump = bump_then_die_on_commit
from django.core.management import call_command
call_command("load_content")
"""


def retitle_guide(site: Site, title: str) -> None:
    guide = site.content / "guides" / "levels.md"
    text = guide.read_text()
    old = next(line for line in text.splitlines() if line.startswith("title:"))
    guide.write_text(text.replace(old, f"title: {title}", 1))


def kill_load(site: Site, script: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=site.env, capture_output=True, timeout=300
    )
    return result.returncode


def searches(site: Site, word: str) -> bool:
    """Whether a search for `word` finds something (rather than "Nothing matches")."""
    page = Browser(site).get(f"/search/?q={word}")
    assert page.status == 200
    return 'class="result-group"' in page.text


def index_fresh(site: Site) -> bool:
    return (
        site.shell(
            "from roadmap.search.index import search_index_stale\nprint(not search_index_stale())"
        )
        == "True"
    )


def test_a_load_killed_before_its_commit_changes_nothing(servers):
    postgres, redis, site = servers
    version = site.shell(
        "from roadmap.ops.models import ContentVersion\nprint(ContentVersion.objects.get().token)"
    )
    retitle_guide(site, "Zanzibarite levels")
    assert kill_load(site, KILL_BEFORE_COMMIT) == -signal.SIGKILL
    assert (
        site.shell(
            "from roadmap.catalog.models import Guide\n"
            "print(Guide.objects.filter(title__contains='Zanzibarite').count())"
        )
        == "0"
    )
    assert (
        site.shell(
            "from roadmap.ops.models import ContentVersion\n"
            "print(ContentVersion.objects.get().token)"
        )
        == version
    )
    assert index_fresh(site) and not searches(site, "Zanzibarite")
    site.manage("load_content")  # the re-run does it all
    assert searches(site, "Zanzibarite") and index_fresh(site)


def test_a_load_killed_after_its_commit_left_the_index_fresh(servers):
    postgres, redis, site = servers
    assert not searches(site, "Quixotic")  # cached under the current version
    retitle_guide(site, "Quixotic levels")
    assert kill_load(site, KILL_AFTER_COMMIT) == -signal.SIGKILL
    assert index_fresh(site)
    # The version was bumped in the same transaction, but its announcement died with the
    # process: the re-run finds nothing to load, and announces the version the database holds.
    rerun = site.manage("load_content")
    assert "0 created, 0 updated, 0 retired" in rerun.stdout
    wait_until(lambda: searches(site, "Quixotic"), "the announcement to arrive", 5)
    assert index_fresh(site)


def test_two_loads_at_once_leave_one_consistent_catalogue(servers):
    postgres, redis, site = servers
    retitle_guide(site, "Concurrent levels")
    level = site.content / "tracks" / "web" / "junior.yaml"
    new_item = "ready_when:\n  - id: zconcurrent1\n    text: You ran two loads at once.\n"
    level.write_text(level.read_text().replace("ready_when:\n", new_item, 1))
    loads = [
        subprocess.Popen(
            [sys.executable, "manage.py", "load_content"],
            cwd=REPO,
            env=site.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [(load.wait(timeout=300), *load.communicate()) for load in loads]
    assert [code for code, _, _ in outcomes] == [0, 0], outcomes
    # One waited for the other's commit, then found the files already loaded.
    summaries = sorted("0 created, 0 updated, 0 retired" in out for _, out, _ in outcomes)
    assert summaries == [False, True], outcomes
    assert (
        site.shell(
            "from roadmap.catalog.models import StageItem\n"
            "print(StageItem.objects.filter(content_id='zconcurrent1').count())"
        )
        == "1"
    )
    assert (
        site.shell(
            "from roadmap.catalog.models import Guide\n"
            "print(Guide.objects.filter(title='Concurrent levels').count())"
        )
        == "1"
    )
    assert index_fresh(site)
    wait_until(lambda: searches(site, "Concurrent"), "the new title to be searchable", 90)


def test_logs_are_one_json_object_per_line(servers):
    import json

    _, _, site = servers
    Browser(site).get("/", Host="evil.example")
    Browser(site).get("/", Cookie="x=" + "A" * 5000)
    lines = Path(site.log).read_text().splitlines()
    app_lines = [line for line in lines if line.startswith("{")]
    assert app_lines
    for line in lines:
        json.loads(line)  # nothing but JSON, not even gunicorn's own lines
    bad_host = [json.loads(line) for line in app_lines if "evil.example" in line]
    assert bad_host and all(entry["level"] in ("warning", "info") for entry in bad_host)
    assert not any("exception" in entry for entry in bad_host)
