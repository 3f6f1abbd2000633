"""Benchmark: the pages under gunicorn against the limit of this stack, in one run.

Run: .venv/bin/python bench/load.py [--quick] [--rounds 3] [--seconds 5] [--parts soak,...]
Needs wrk (`apt-get install wrk`), PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and
Redis on 127.0.0.1:6379; it uses its own database `roadmap_helper_ops_bench` and Redis DB 1 under a
key prefix of its own, and removes both afterwards.

Three production-mode gunicorn servers with the project's gunicorn.conf.py (2 sync workers) run on
this machine: the site with its page cache (warm), the site with the page cache off (cold: every
request renders), and the limit, a trivial WSGI app in this file that answers each URL with the
bytes the site sent for it, headers and body. wrk (32 connections) measures each page on each, in
interleaved rounds, keeping each server's best round (the least disturbed by whatever else the
machine runs). It prints:

1. requests/s, p50 and p99 for every page: warm, cold, limit, and warm/limit (target >= 0.7);
2. database queries per page at 1x and 10x content, rendered without the cache;
3. worker memory after 20,000 more cached requests and 5,000 rendered ones (no growth expected);
4. 60 s at 64 connections over every page with a content reload every 10 s (zero errors expected).

Add a page to PAGES; a page that does not answer 200 (not built yet) is skipped with a note.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
ADMIN_DSN = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
DB_NAME = "roadmap_helper_ops_bench"
HTMX = {"HX-Request": "true"}
# Production mode redirects plain HTTP; the proxy in front would say the request came over TLS.
PROXY = {"X-Forwarded-Proto": "https"}

# (name, path, extra headers). {track} and {level} are the first visible track and its first level.
PAGES = [
    ("home", "/", {}),
    ("track page", "/tracks/{track}/", {}),
    ("level partial", "/tracks/{track}/{level}/", HTMX),
    ("search", "/search/?q=python", {}),
]


def limit_app(environ, start_response):
    """The limit: answer with the stored headers and body, doing nothing else at all."""
    key = environ["PATH_INFO"] + "?" + environ.get("QUERY_STRING", "")
    key += "|htmx" if environ.get("HTTP_HX_REQUEST") else ""
    body, headers = _LIMIT_PAGES.get(key, (b"", [("Content-Type", "text/plain")]))
    start_response("200 OK", headers)
    return [body]


def _read_limit_pages() -> dict:
    folder = os.environ.get("BENCH_LIMIT_DIR")
    if not folder:
        return {}
    index = json.loads((Path(folder) / "index.json").read_text())
    return {
        key: ((Path(folder) / name).read_bytes(), [tuple(header) for header in headers])
        for key, (name, headers) in index.items()
    }


_LIMIT_PAGES = _read_limit_pages()


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name: str, env: dict, app: str | None = None, log: Path | None = None):
        self.name, self.port = name, free_port()
        self.env = {**env, "PORT": str(self.port), "HOST": "127.0.0.1"}
        command = [GUNICORN, "-c", str(REPO / "gunicorn.conf.py")] + ([app] if app else [])
        self.log = open(log or os.devnull, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.url = f"http://127.0.0.1:{self.port}"
        wait_until_up(self.url + ("/healthz" if app is None else "/"), self.process)

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss_mb(self) -> float:
        total = 0
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
        return total / 1024 / max(len(self.workers()), 1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def fetch_headers(url: str, headers: dict) -> dict:
    request = urllib.request.Request(url, headers={**PROXY, **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(response.headers)


# Headers the server itself writes; the limit app leaves them to gunicorn as the site does.
SERVER_HEADERS = {"server", "date", "connection", "transfer-encoding"}


def fetch(url: str, headers: dict) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Status, body, and the headers the application sent."""
    request = urllib.request.Request(url, headers={**PROXY, **headers})
    try:
        response = urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        sent = [(k, v) for k, v in response.headers.items() if k.lower() not in SERVER_HEADERS]
        return response.status, response.read(), sent


# --- wrk ----------------------------------------------------------------------------------------


def wrk(url: str, *, paths: list[tuple[str, dict]], seconds: int, connections: int) -> dict:
    """Run wrk over `paths` in turn; requests/s, p50/p99 in ms, requests and errors."""
    script = ["local paths = {"]
    for path, headers in paths:
        fields = ", ".join(
            f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in {**PROXY, **headers}.items()
        )
        script.append(f"  {{ {json.dumps(path)}, {{ {fields} }} }},")
    script += [
        "}",
        "local n = 0",
        "request = function()",
        "  n = n + 1",
        "  local p = paths[(n % #paths) + 1]",
        '  return wrk.format("GET", p[1], p[2])',
        "end",
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write("\n".join(script))
    threads = min(2, connections)
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",  # a slow answer is a slow answer, not an error
            "10s",
            "--latency",
            "-s",
            lua.name,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(lua.name)
    return parse_wrk(output)


def parse_wrk(output: str) -> dict:
    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


# --- the run ------------------------------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{ADMIN_DSN}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def preflight() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install -y wrk")
    try:
        postgres("SELECT 1")
    except Exception as exc:
        raise SystemExit(f"PostgreSQL at {ADMIN_DSN} is not reachable: {exc}") from None
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except Exception as exc:
        raise SystemExit(f"Redis at {REDIS_URL} is not reachable: {exc}") from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--quick", action="store_true", help="short runs, to check the script")
    parser.add_argument(
        "--parts",
        default="throughput,queries,memory,soak",
        help="comma-separated parts to run (default: all four)",
    )
    args = parser.parse_args()
    seconds = 3 if args.quick else args.seconds
    parts = set(args.parts.split(","))
    preflight()
    # Stopped with SIGTERM, still stop the servers and drop the database (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    work = Path(tempfile.mkdtemp(prefix="roadmap-load-"))
    prefix = f"bench-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{ADMIN_DSN}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "STATIC_ROOT": str(work / "static"),
        "CONTENT_DIR": str(work / "content"),
        "WEB_CONCURRENCY": "2",
    }
    shutil.copytree(REPO / "content", work / "content")
    postgres(f"DROP DATABASE IF EXISTS {DB_NAME}")
    postgres(f"CREATE DATABASE {DB_NAME}")
    servers: list[Server] = []
    try:
        print("setting up: collectstatic, migrate, load_content …", flush=True)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "load_content")
        warm = Server("warm", env, log=work / "warm.log")
        cold = Server("cold", {**env, "PAGE_CACHE_SECONDS": "0"}, log=work / "cold.log")
        servers += [warm, cold]
        pages = resolve_pages(env, warm)
        limit = Server(
            "limit",
            {**env, "BENCH_LIMIT_DIR": str(store_limit_pages(work, pages))},
            app="bench.load:limit_app",
        )
        servers.append(limit)
        results = {}
        if "throughput" in parts:
            results["throughput"] = throughput(
                pages,
                warm,
                cold,
                limit,
                seconds=seconds,
                rounds=1 if args.quick else args.rounds,
                connections=args.connections,
            )
        if "queries" in parts:
            results["queries"] = query_counts(env, work, pages)
            manage(env, "load_content")  # back to 1x for the runs below
        if "memory" in parts:
            results["memory"] = memory(warm, cold, pages, quick=args.quick)
        if "soak" in parts:
            results["soak"] = soak(warm, env, work, pages, seconds=15 if args.quick else 60)
        out = REPO / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "load.json").write_text(json.dumps(results, indent=2))
        print(f"\nresults written to {out / 'load.json'}")
    finally:
        for server in servers:
            server.stop()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*", count=1000):
            client.delete(key)
        postgres(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


def resolve_pages(env: dict, warm: Server) -> list[dict]:
    track, level = first_track_and_level(env)
    pages = []
    for name, template, headers in PAGES:
        path = template.format(track=track, level=level)
        status, body, sent = fetch(warm.url + path, headers)
        if status != 200:
            reason = "not built yet" if status == 404 else "broken?"
            print(f"note: skipping {name} ({path}): it answered {status}, {reason}")
            continue
        cached = fetch_headers(warm.url + path, headers).get("X-Page-Cache") == "hit"
        pages.append(
            {
                "name": name,
                "path": path,
                "headers": headers,
                "body": body,
                "sent": sent,
                "cached": cached,
            }
        )
    return pages


def first_track_and_level(env: dict) -> tuple[str, str]:
    code = (
        "from roadmap.catalog.models import Stage;"
        "s = Stage.objects.visible().filter(track__retired=False, track__published=True)"
        ".order_by('track__order', 'level__order').select_related('track', 'level').first();"
        "print(s.track.slug, s.level.slug)"
    )
    track, level = manage(env, "shell", "-c", code).split()[-2:]
    return track, level


def store_limit_pages(work: Path, pages: list[dict]) -> Path:
    folder = work / "limit"
    folder.mkdir()
    index = {}
    for n, page in enumerate(pages):
        path, _, query = page["path"].partition("?")
        key = f"{path}?{query}" + ("|htmx" if page["headers"] else "")
        (folder / f"{n}.body").write_bytes(page["body"])
        index[key] = (f"{n}.body", page["sent"])
    (folder / "index.json").write_text(json.dumps(index))
    return folder


def throughput(pages, warm, cold, limit, *, seconds, rounds, connections) -> list[dict]:
    """Each page on each server, in interleaved rounds; the best round of each counts.

    On a shared machine other work steals the CPU now and then; the best of a few interleaved
    rounds is the figure least disturbed by it, for the site and the limit alike. Within a round
    the warm site and the limit run back to back, so their ratio in that round saw the same
    machine: the median of those per-round ratios ("paired") is the steadier figure.
    """
    print(
        f"\n1. throughput: gunicorn, 2 workers, wrk {connections} connections; "
        f"best of {rounds} interleaved rounds of {seconds} s"
    )
    print(
        f"{'page':<15}{'bytes':>8}{'warm r/s':>10}{'p50':>7}{'p99':>7}{'cold r/s':>10}{'p50':>7}"
        f"{'p99':>7}{'limit r/s':>10}{'p50':>7}{'p99':>7}{'warm/limit':>11}{'paired':>8}"
        f"{'cold/limit':>11}"
    )
    rows = []
    for page in pages:
        target = [(page["path"], page["headers"])]
        for server in (warm, cold, limit):  # fill the page cache and warm each worker
            wrk(server.url, paths=target, seconds=1, connections=4)
        row = {"page": page["name"], "path": page["path"], "bytes": len(page["body"])}
        for _ in range(rounds):
            for server in (warm, limit, cold):
                run = wrk(server.url, paths=target, seconds=seconds, connections=connections)
                row.setdefault(f"{server.name}_rounds", []).append(run)
                if server.name not in row or run["rps"] > row[server.name]["rps"]:
                    row[server.name] = run
        row["warm_ratio"] = row["warm"]["rps"] / row["limit"]["rps"]
        pairs = zip(row["warm_rounds"], row["limit_rounds"], strict=True)
        row["warm_ratio_paired"] = statistics.median(w["rps"] / lim["rps"] for w, lim in pairs)
        row["cold_ratio"] = row["cold"]["rps"] / row["limit"]["rps"]
        cells = "".join(
            f"{row[s]['rps']:>10.0f}{row[s]['p50']:>7.1f}{row[s]['p99']:>7.1f}"
            for s in ("warm", "cold", "limit")
        )
        ratios = (
            f"{row['warm_ratio']:>11.2f}{row['warm_ratio_paired']:>8.2f}{row['cold_ratio']:>11.2f}"
        )
        print(f"{page['name']:<15}{row['bytes']:>8}{cells}{ratios}", flush=True)
        rows.append(row)
    print("latencies in ms; target warm/limit >= 0.70")
    return rows


QUERY_COUNT = """
import json, os
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

out = {}
with override_settings(PAGE_CACHE_SECONDS=0):
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    for name, path, headers in json.loads(os.environ["BENCH_PAGES"]):
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path, headers=headers).status_code
        out[name] = len(queries) if status == 200 else f"status {status}"
print(json.dumps(out))
"""


def query_counts(env: dict, work: Path, pages: list[dict]) -> dict:
    """Queries per page rendered without the page cache, at the real content and at 10x."""
    print("\n2. database queries per page, rendered without the cache")
    tenfold = make_tenfold(work / "content", work / "content-x10")
    spec = json.dumps([(page["name"], page["path"], page["headers"]) for page in pages])
    counts = {}
    for label, content in (("1x", work / "content"), ("10x", tenfold)):
        run_env = {**env, "CONTENT_DIR": str(content), "BENCH_PAGES": spec}
        manage(run_env, "load_content")
        counts[label] = json.loads(manage(run_env, "shell", "-c", QUERY_COUNT).splitlines()[-1])
    print(f"{'page':<15}{'1x':>5}{'10x':>6}")
    for page in pages:
        print(f"{page['name']:<15}{counts['1x'][page['name']]:>5}{counts['10x'][page['name']]:>6}")
    print("10x: every track copied 10 times, every list in every level 10 times as long")
    return counts


ID_LINE = re.compile(r"\bid: [a-z][a-z0-9]{7,31}\b")
LIST_ITEM = re.compile(r"^(  - id: .*\n(?:    .*\n)*)", re.M)


def make_tenfold(source: Path, target: Path) -> Path:
    """content/ with 10 copies of every track and 10 times as many items in every level's lists.

    The original tracks and items keep their ids, so loading content/ again afterwards only retires.
    """
    shutil.copytree(source, target, dirs_exist_ok=True)
    for track in sorted((source / "tracks").iterdir()):
        for stage in track.glob("*.yaml"):
            text = stage.read_text()
            if stage.name != "track.yaml":
                text = LIST_ITEM.sub(
                    lambda m: m.group(1) + "".join(_fresh(m.group(1)) for _ in range(9)), text
                )
            (target / "tracks" / track.name / stage.name).write_text(text)
            for copy in range(2, 11):
                folder = target / "tracks" / f"{track.name}-x{copy}"
                folder.mkdir(exist_ok=True)
                (folder / stage.name).write_text(_fresh(text))
    return target


def _fresh(text: str) -> str:
    """The same text with new ids, so each copy is a new item to the loader."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return ID_LINE.sub(
        lambda _: (
            "id: "
            + secrets.choice(alphabet[:26])
            + "".join(secrets.choice(alphabet) for _ in range(9))
        ),
        text,
    )


def memory(warm: Server, cold: Server, pages: list[dict], *, quick: bool) -> dict:
    """Worker RSS after a warm-up and again after 20,000 more requests (5,000 rendering ones)."""
    print("\n3. worker memory (mean RSS per worker) before and after more requests")
    paths = [(page["path"], page["headers"]) for page in pages if page["cached"]]
    skipped = [page["name"] for page in pages if not page["cached"]]
    if skipped:
        print(f"note: {', '.join(skipped)} left out: not page-cached, and too slow to repeat often")
    result = {}
    for server, total in ((warm, 4_000 if quick else 20_000), (cold, 1_000 if quick else 5_000)):
        wrk(server.url, paths=paths, seconds=3, connections=8)
        before = server.worker_rss_mb()
        done = 0
        while done < total:
            done += wrk(server.url, paths=paths, seconds=5, connections=16)["requests"]
        after = server.worker_rss_mb()
        result[server.name] = {"requests": done, "before_mb": before, "after_mb": after}
        print(
            f"{server.name:<6} {before:6.1f} MB -> {after:6.1f} MB after {done:,} requests "
            f"({after - before:+.1f} MB)",
            flush=True,
        )
    return result


def soak(warm: Server, env: dict, work: Path, pages: list[dict], *, seconds: int) -> dict:
    """64 connections for `seconds` while the content is changed and reloaded every 10 s."""
    print(f"\n4. {seconds} s at 64 connections, a content reload every 10 s")
    site = work / "content" / "site.yaml"
    original = site.read_text()
    stop = threading.Event()
    reloads: list[float] = []
    failures: list[str] = []

    def reload_every_10s() -> None:
        n, started_at = 0, time.monotonic()
        while not stop.wait(max(0.0, started_at + 10 * (n + 1) - time.monotonic())):
            n += 1
            site.write_text(
                re.sub(r"(?m)^headline: .*$", f"headline: Reload number {n}", original, count=1)
            )
            started = time.perf_counter()
            try:
                manage(env, "load_content")
            except SystemExit as failure:  # reported below: a reload must not fail silently
                failures.append(str(failure))
            reloads.append(time.perf_counter() - started)

    reloader = threading.Thread(target=reload_every_10s)
    reloader.start()
    try:
        paths = [(page["path"], page["headers"]) for page in pages]
        result = wrk(warm.url, paths=paths, seconds=seconds, connections=64)
    finally:
        stop.set()
        reloader.join()
        site.write_text(original)
    _, body, _ = fetch(warm.url + "/", {})
    result["reloads"] = len(reloads)
    # The last reload's headline must be on the page at once, under load.
    result["last_reload_served"] = f"Reload number {len(reloads)}<".encode() in body
    result["reload_failures"] = failures
    slowest = max(reloads, default=0)
    print(
        f"{result['requests']:,} requests, {result['rps']:.0f}/s, p99 {result['p99']:.1f} ms, "
        f"{result['errors']} errors; {len(reloads)} reloads (slowest {slowest:.1f} s), "
        f"last one served at once: {'yes' if result['last_reload_served'] else 'NO'}"
    )
    for failure in failures:
        print(f"reload failed: {failure}")
    return result


if __name__ == "__main__":
    main()
