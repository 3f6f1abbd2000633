"""Benchmark: how the site answers while a fault lasts, against the same load with no fault.

Run: .venv/bin/python bench/faults.py [--rounds 3] [--seconds 5] [--clients 4] [--learners 20]

Starts its own PostgreSQL cluster and redis-server on free ports (tests/faults/servers.py; never
the machine's), and the site under gunicorn in production mode (gunicorn.conf.py: 2 gthread
workers) over the small valid content tree. `--clients` threads then request pages for
`--seconds` per phase, in `--rounds` interleaved rounds: anonymous pages (home, a level, guides,
a search) and learner pages (a level page with their session and ticks, /progress/, a tick).
Phases:

1. no fault (the baseline);
2. Redis stopped;
3. Redis paused (SIGSTOP: it accepts connections and never answers);
4. 10 slow clients (5 trickling their headers, 5 their body) held open against gunicorn directly,
   while the home page is requested.

It prints, per phase and kind of request: how many, the share answered as they should be (200;
303 for a tick), p50 and p99, and p99 against the baseline. Targets: Redis down or paused ->
>= 99% answered, p99 < 300 ms, learners included; 10 slow clients -> home p99 < 100 ms.
"""

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from faults.servers import (  # noqa: E402  (the test helpers start the servers)
    Browser,
    PostgresCluster,
    RedisServer,
    Site,
    first_tickable,
    wait_until,
)

sys.path.insert(0, str(REPO))
from tests.test_abuse_server import SlowClient  # noqa: E402

# Each phase, and the phase it is compared with.
PHASES = {
    "no fault": None,
    "Redis stopped": "no fault",
    "Redis paused": "no fault",
    "home, no slow clients": None,
    "home, 10 slow clients": "home, no slow clients",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


class Load:
    """`clients` threads making requests until stopped; results by kind."""

    def __init__(self, site: Site, learners: list[Browser], level: str, tick: str, home_only=False):
        self.site, self.learners, self.level, self.tick = site, learners, level, tick
        self.home_only = home_only
        self.results: dict[str, list[tuple[bool, float]]] = {"anonymous": [], "learner": []}
        self.stopped = threading.Event()

    def one(self, rng: random.Random) -> None:
        if self.home_only:
            kind, send, ok = "anonymous", lambda: Browser(self.site).get("/"), (200,)
        elif rng.random() < 0.5:
            path = rng.choice(["/", self.level, "/guides/", "/search/?q=deploy"])
            kind, send, ok = "anonymous", lambda: Browser(self.site).get(path), (200,)
        else:
            learner = rng.choice(self.learners)
            choice = rng.random()
            if choice < 0.2:
                done = rng.choice(["1", ""])
                form = {"done": done, "next": self.level} if done else {"next": self.level}
                kind, send, ok = "learner", lambda: learner.post(self.tick, form), (303,)
            else:
                path = self.level if choice < 0.7 else "/progress/"
                kind, send, ok = "learner", lambda: learner.get(path), (200,)
        started = time.perf_counter()
        try:
            status = send().status
        except OSError:
            status = 0
        self.results[kind].append((status in ok, (time.perf_counter() - started) * 1000))

    def run(self, clients: int, seconds: float) -> dict:
        def client(seed: int):
            rng = random.Random(seed)
            while not self.stopped.is_set():
                self.one(rng)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        self.stopped.set()
        for thread in threads:
            thread.join()
        return self.results


def report(phase: str, results: dict, baseline: dict | None) -> None:
    for kind, rows in results.items():
        if not rows:
            continue
        times = [ms for _, ms in rows]
        ok = sum(1 for good, _ in rows if good) / len(rows)
        p99 = percentile(times, 0.99)
        vs = ""
        if baseline and baseline.get(kind):
            base = percentile([ms for _, ms in baseline[kind]], 0.99)
            vs = f"{p99 / base:6.2f}x"
        print(
            f"{phase:<22} {kind:<10} {len(rows):>6} {ok:>8.2%} "
            f"{statistics.median(times):>8.1f} {p99:>8.1f} {vs:>9}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--learners", type=int, default=20)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="roadmap-bench-faults-"))
    postgres = PostgresCluster()
    redis = RedisServer(work)
    site = None
    try:
        redis.start()
        site = Site(work / "site", postgres.url, redis.url)
        site.start()
        level, tick = first_tickable(site)
        learners = []
        for _ in range(args.learners):
            learner = Browser(site)
            assert learner.post(tick, {"done": "1", "next": level}).status == 303
            learners.append(learner)
        Load(site, learners, level, tick).run(args.clients, 2)  # warm the caches

        print(
            f"{args.clients} clients, {args.rounds} rounds of {args.seconds:g} s per phase, "
            f"{args.learners} learners; phases interleaved, so the machine's other load "
            "falls on the baseline and the faults alike"
        )
        phases = {name: {"anonymous": [], "learner": []} for name in PHASES}

        def measure(name: str, **options) -> None:
            load = Load(site, learners, level, tick, home_only=name.startswith("home"))
            for kind, rows in load.run(options.get("clients", args.clients), args.seconds).items():
                phases[name][kind] += rows

        def recovered() -> None:
            wait_until(lambda: site.health()[0] == 200, "the site to see Redis again")

        for _ in range(args.rounds):
            measure("no fault")
            redis.stop()
            try:
                measure("Redis stopped")
            finally:
                redis.start()
            recovered()
            measure("no fault")
            redis.pause()
            try:
                measure("Redis paused")
            finally:
                redis.resume()
            recovered()
            measure("home, no slow clients", clients=1)
            slow = [SlowClient(site, "headers" if n % 2 else "body") for n in range(10)]
            for client in slow:
                client.start()
            try:
                wait_until(lambda: all(c.sent > 3 for c in slow), "the slow clients")  # noqa: B023
                measure("home, 10 slow clients", clients=1)
            finally:
                for client in slow:
                    client.stop()

        print(
            f"{'phase':<22} {'requests':<10} {'count':>6} {'answered':>8} "
            f"{'p50 ms':>8} {'p99 ms':>8} {'p99/base':>9}"
        )
        for name, results in phases.items():
            report(name, results, phases[PHASES[name]] if PHASES[name] else None)
    finally:
        if site:
            site.stop()
        redis.stop()
        postgres.remove()


if __name__ == "__main__":
    main()
