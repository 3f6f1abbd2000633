"""One content load at a time: a second `load_content` waits for the first or stops with one
line, never a raw IntegrityError. Real processes against a real SQLite file and a real PostgreSQL
database of the test's own, on the server TEST_POSTGRES or else DATABASE_URL names (skipped
without PostgreSQL, except under CI, where that fails).
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from postgres_server import postgres_server


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


POSTGRES = postgres_server()  # TEST_POSTGRES, else the server DATABASE_URL names


def manage(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate()
    return process.returncode, out, err


def test_a_load_while_another_holds_the_sqlite_database_stops_with_one_line(tmp_path, valid_tree):
    database = tmp_path / "db.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "CONTENT_DIR": str(valid_tree)}
    assert finish(manage("migrate", "--verbosity", "0", env=env))[0] == 0
    running = sqlite3.connect(database, isolation_level=None)
    running.execute("BEGIN IMMEDIATE")  # what a load in progress holds
    code, out, err = finish(manage("load_content", "--no-wait", env=env))
    assert code == 1
    assert err.strip() == (
        "CommandError: another load_content is running; run this one again when it has finished"
    )
    running.execute("ROLLBACK")
    code, out, err = finish(manage("load_content", env=env))
    assert code == 0 and "0 retired" in out


@pytest.fixture
def postgres_database(valid_tree):
    """A PostgreSQL database of this test's own, migrated; dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL at {POSTGRES}: {exc}")
        pytest.skip(f"needs PostgreSQL at {POSTGRES}: {exc}")
    name = f"roadmap_i10_export_lock_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    env = {"DATABASE_URL": f"{POSTGRES}/{name}", "CONTENT_DIR": str(valid_tree)}
    try:
        assert finish(manage("migrate", "--verbosity", "0", env=env))[0] == 0
        yield env
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_second_load_on_postgresql_waits_for_the_first_or_stops_when_told(postgres_database):
    import psycopg

    from roadmap.content.load_lock import LOCK_KEY

    env = postgres_database
    with psycopg.connect(env["DATABASE_URL"]) as running:  # a load in progress holds the lock
        running.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        code, _, err = finish(manage("load_content", "--no-wait", env=env))
        assert code == 1
        assert err.strip() == (
            "CommandError: another load_content is running; run this one again when it has finished"
        )
        waiting = manage("load_content", env=env)
        assert waiting.stderr.readline().startswith("Another load_content is running; waiting")
        running.rollback()  # the first load ends; the second goes ahead
    code, out, _ = finish(waiting)
    assert code == 0 and "0 retired" in out

    # Two real loads started together: one waits for the other, neither meets an IntegrityError.
    edit(Path(env["CONTENT_DIR"]) / "courses.yaml", "title: A paid course", "title: Paid")
    both = [manage("load_content", env=env), manage("load_content", env=env)]
    results = [finish(process) for process in both]
    assert [code for code, _, _ in results] == [0, 0], results
    outs = sorted(out.splitlines()[0] for _, out, _ in results)
    assert outs[0].startswith("0 created, 0 updated") and outs[1].startswith("0 created, 1 updated")
