"""Benchmark: CPU per cold render and queries per page, for every page type, in-process.

Run against an already set-up database (migrate, load_content, collectstatic done), in
production mode, e.g.:

    DJANGO_DEBUG=0 SECRET_KEY=… ALLOWED_HOSTS=127.0.0.1,localhost \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/roadmap_x REDIS_URL=redis://127.0.0.1:6379/n \\
    CACHE_KEY_PREFIX=x STATIC_ROOT=/tmp/x-static .venv/bin/python bench/renders.py [-n 20]
    [--rounds 3] [--profile "level page" [--who learner] [--sort tottime]]

The page cache is off (PAGE_CACHE_SECONDS=0) and the database connection warm: each page is
fetched once to warm up, once to count its queries, then `-n` times under time.process_time(),
in `--rounds` rounds of which the quickest counts (the machine is shared).
A "learner" has ticked two items of the first level (session cookie); a "stranger" has no cookie.
`--profile PAGE` prints a cProfile of that page's renders instead of the table.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmap.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench.load import RENDERS  # noqa: E402 - the page types bench/load.py times too
from roadmap.catalog.models import Guide, Stage  # noqa: E402


def first_names() -> dict:
    """The first visible track, its first level, that level's tickable items, and a guide."""
    stage = (
        Stage.objects.visible()
        .filter(track__retired=False, track__published=True)
        .order_by("track__order", "level__order")
        .select_related("track", "level")
        .first()
    )
    items = stage.items.filter(kind__in=["ready_when", "project"])
    guide = Guide.objects.order_by("order").first()
    return {
        "track": stage.track.slug,
        "level": stage.level.slug,
        "items": list(items.values_list("content_id", flat=True)),
        "guide": guide.slug if guide else "",
    }


def clients(names: dict) -> dict[str, Client]:
    stranger = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    learner = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_X_FORWARDED_PROTO="https",
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    for item in names["items"][:2]:
        response = learner.post(f"/progress/items/{item}/", {"done": "1", "next": "/"})
        assert response.status_code == 303, response.status_code
    return {"stranger": stranger, "learner": learner}


def pages(names: dict) -> list[tuple[str, str, dict]]:
    return [
        (name, path.format(**names), headers)
        for name, path, headers in RENDERS
        if names["guide"] or "{guide}" not in path
    ]


def measure(client: Client, path: str, headers: dict, n: int, rounds: int) -> dict:
    status = client.get(path, headers=headers).status_code  # warm the connection and templates
    with CaptureQueriesContext(connection) as queries:
        client.get(path, headers=headers)
    count = len(queries)  # now: the next request clears the connection's query log
    # The machine is shared: the quickest of a few rounds is the least disturbed.
    cpu = min(_cpu_ms(client, path, headers, n) for _ in range(rounds))
    return {"status": status, "queries": count, "cpu_ms": cpu}


def _cpu_ms(client: Client, path: str, headers: dict, n: int) -> float:
    started = time.process_time()
    for _ in range(n):
        client.get(path, headers=headers)
    return (time.process_time() - started) / n * 1000


def table(names: dict, who: dict[str, Client], n: int, rounds: int, only: str | None) -> None:
    print(f"{'page':<18}{'stranger ms':>12}{'learner ms':>12}{'queries':>9}{'learner':>9}")
    for name, path, headers in pages(names):
        if only and name not in only.split(","):
            continue
        row = {label: measure(client, path, headers, n, rounds) for label, client in who.items()}
        s, learner = row["stranger"], row["learner"]
        bad = [f"{k} {v['status']}" for k, v in row.items() if v["status"] != 200]
        print(
            f"{name:<18}{s['cpu_ms']:>12.1f}{learner['cpu_ms']:>12.1f}"
            f"{s['queries']:>9}{learner['queries']:>9}"
            + (f"  (status: {', '.join(bad)})" if bad else ""),
            flush=True,
        )
    print("target: <= 5 ms CPU per render, <= 8 queries")


def profile(names: dict, client: Client, page: str, n: int, sort: str) -> None:
    name, path, headers = next(p for p in pages(names) if p[0] == page)
    client.get(path, headers=headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path, headers=headers)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(sort).print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=20, help="timed renders per page and visitor")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of -n; the quickest counts")
    parser.add_argument("--only", help="comma-separated page names to measure (default: all)")
    parser.add_argument("--profile", metavar="PAGE", help="profile one page type instead")
    parser.add_argument("--who", default="stranger", choices=["stranger", "learner"])
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --profile")
    args = parser.parse_args()
    names = first_names()
    who = clients(names)
    with override_settings(PAGE_CACHE_SECONDS=0):
        if args.profile:
            profile(names, who[args.who], args.profile, args.n, args.sort)
        else:
            table(names, who, args.n, args.rounds, args.only)


if __name__ == "__main__":
    main()
