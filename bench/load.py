"""Benchmark: strangers' and learners' pages under gunicorn against the limit, in one run.

Run: .venv/bin/python bench/load.py [--quick] [--rounds 3] [--seconds 5] [--parts soak,...]
                                    [--baseline REF ...]
Needs wrk (`apt-get install wrk`), PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and
Redis on 127.0.0.1:6379; it uses its own database `roadmap_bench` and Redis (BENCH_REDIS_URL,
db 1 by default) under key prefixes of its own, and removes both afterwards.

Production-mode gunicorn servers with the project's gunicorn.conf.py run on this machine: the site
with its page cache ("site"), optionally the same site at another git revision (`--baseline REF`,
e.g. the previous cache design, checked out into a temporary folder) on the same database, the
site with the page cache off ("cold"), and the limit, a trivial WSGI app in this file that answers
each request with the bytes the site sent for it (headers and body; the `X-Bench-Page` header
says which). wrk measures each page on each server in interleaved rounds and keeps each server's
best round; ratios are against the limit measured in the same round ("paired": the median of the
per-round ratios). It prints:

1. requests/s for strangers' and learners' pages (a learner has ticks and a note on the level),
   random query strings and junk cookies, and the Redis keys the junk added;
2. CPU ms per cold render of every page type (in-process, warm database connection) and queries
   per page at 1x and 10x content, for a stranger and for a learner;
3. how fast the site answers in the 5 s right after a content load;
4. worker memory over 20,000 learner requests;
5. 60 s at 64 connections, half strangers, half learners ticking, a content load every 10 s.
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
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
ADMIN_DSN = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
DB_NAME = "roadmap_bench"
HTMX = {"HX-Request": "true"}
# Production mode redirects plain HTTP; the proxy in front would say the request came over TLS.
PROXY = {"X-Forwarded-Proto": "https"}
# A POST from this site, as browsers say (the tick and note forms check it instead of CSRF).
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
LEARNER = "{learner}"  # replaced by the learner's session cookie
RANDOM = "{random}"  # replaced by a random number on every request (in wrk's Lua)

# (name, path, headers). {track} and {level} are the first visible track and its first level.
PAGES = [
    ("stranger: level page", "/tracks/{track}/{level}/", {}),
    ("learner: level page", "/tracks/{track}/{level}/", {"Cookie": LEARNER}),
    ("learner: level tab (htmx)", "/tracks/{track}/{level}/", {**HTMX, "Cookie": LEARNER}),
    ("learner: track page", "/tracks/{track}/", {"Cookie": LEARNER}),
    ("learner: home", "/", {"Cookie": LEARNER}),
    ("junk query string", "/tracks/{track}/{level}/?utm_x={random}&y={random}", {}),
    ("junk cookies", "/tracks/{track}/{level}/", {"Cookie": "sessionid=x{random}; j={random}"}),
    ("search", "/search/?q=python", {}),
]
# Page types whose cold render is timed (and their queries counted).
RENDERS = [
    ("home", "/", {}),
    ("track page", "/tracks/{track}/", {}),
    ("level page", "/tracks/{track}/{level}/", {}),
    ("level tab (htmx)", "/tracks/{track}/{level}/", HTMX),
    ("timelines", "/timelines/", {}),
    ("courses", "/courses/", {}),
    ("reading", "/reading/", {}),
    ("guides", "/guides/", {}),
    ("guide", "/guides/{guide}/", {}),
    ("search", "/search/?q=python", {}),
]


def limit_app(environ, start_response):
    """The limit: answer with the stored headers and body, doing nothing else at all."""
    body, headers = _LIMIT_PAGES.get(
        environ.get("HTTP_X_BENCH_PAGE", ""), (b"", [("Content-Type", "text/plain")])
    )
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
    def __init__(self, name: str, env: dict, *, app=None, log=None, cwd: Path = REPO):
        self.name, self.port = name, free_port()
        self.env = {**env, "PORT": str(self.port), "HOST": "127.0.0.1"}
        command = [GUNICORN, "-c", str(cwd / "gunicorn.conf.py")] + ([app] if app else [])
        self.log = open(log or os.devnull, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=cwd, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
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


# Headers the server itself writes; the limit app leaves them to gunicorn as the site does.
SERVER_HEADERS = {"server", "date", "connection", "transfer-encoding"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, headers: dict, data: dict | None = None):
    """Status, body, the headers the application sent, and the Set-Cookie values."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={**PROXY, **headers})
    try:
        response = OPENER.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        sent = [(k, v) for k, v in response.headers.items() if k.lower() not in SERVER_HEADERS]
        return response.status, response.read(), sent, response.headers.get_all("Set-Cookie") or []


# --- wrk ----------------------------------------------------------------------------------------


def wrk(url: str, *, paths: list[tuple], seconds: int, connections: int) -> dict:
    """Run wrk over `paths` ((path, headers) or (method, path, headers, body)) in turn:
    requests/s, p50/p99 in ms, requests and errors. "{random}" becomes a random number."""
    script = ["local paths = {"]
    for entry in paths:
        method, path, headers, body = entry if len(entry) == 4 else ("GET", *entry, "")
        fields = ", ".join(
            f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in {**PROXY, **headers}.items()
        )
        script.append(
            f"  {{ {json.dumps(method)}, {json.dumps(path)}, {{ {fields} }}, {json.dumps(body)} }},"
        )
    script += [
        "}",
        "local n = 0",
        "local function fill(s) return (s:gsub('{random}', function() "
        "return tostring(math.random(1, 1000000000)) end)) end",
        "request = function()",
        "  n = n + 1",
        "  local p = paths[(n % #paths) + 1]",
        "  local headers = {}",
        "  for k, v in pairs(p[3]) do headers[k] = fill(v) end",
        "  local body = p[4] ~= '' and p[4] or nil",
        "  return wrk.format(p[1], fill(p[2]), headers, body)",
        "end",
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write("\n".join(script))
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    output = subprocess.run(
        [*command, "--latency", "-s", lua.name, url], capture_output=True, text=True, check=True
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


def manage(env: dict, *args: str, cwd: Path = REPO) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{ADMIN_DSN}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def redis_keys(prefix: str) -> int:
    import redis

    return sum(1 for _ in redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:*", count=1000))


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


def checkout(ref: str, work: Path) -> Path:
    """The repository at `ref`, as files in a folder of its own."""
    folder = work / f"baseline-{re.sub(r'[^A-Za-z0-9]+', '-', ref)}"
    folder.mkdir()
    archive = subprocess.run(
        ["git", "archive", ref], cwd=REPO, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--baseline",
        action="append",
        default=[],
        help="also measure the site at this git revision (repeat for several)",
    )
    parser.add_argument("--quick", action="store_true", help="short runs, to check the script")
    parser.add_argument(
        "--parts",
        default="throughput,renders,after-load,memory,soak",
        help="comma-separated parts to run (default: all five)",
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
    postgres(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    postgres(f"CREATE DATABASE {DB_NAME}")
    servers: list[Server] = []
    try:
        print("setting up: collectstatic, migrate, load_content …", flush=True)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "load_content")
        site = Server("site", env, log=work / "site.log")
        servers.append(site)
        for n, ref in enumerate(args.baseline):
            folder = checkout(ref, work)
            base_env = {**env, "CACHE_KEY_PREFIX": f"{prefix}-base{n}"}
            name = "baseline" if len(args.baseline) == 1 else ref[:12]
            servers.append(Server(name, base_env, log=work / f"baseline{n}.log", cwd=folder))
        cold = Server("cold", {**env, "PAGE_CACHE_SECONDS": "0"}, log=work / "cold.log")
        servers.append(cold)
        names = first_names(env)
        learner = make_learner(site, names)
        pages = resolve_pages(site, names, learner)
        limit = Server(
            "limit",
            {**env, "BENCH_LIMIT_DIR": str(store_limit_pages(work, pages))},
            app="bench.load:limit_app",
        )
        servers.append(limit)
        results = {"baseline": args.baseline}
        if "throughput" in parts:
            results["throughput"] = throughput(
                pages,
                [s for s in servers if s.name not in ("cold", "limit")],
                cold,
                limit,
                seconds=seconds,
                rounds=1 if args.quick else args.rounds,
                connections=args.connections,
                prefix=prefix,
            )
        if "renders" in parts:
            results["renders"] = renders(env, work, names)
            manage(env, "load_content")  # back to 1x for the runs below
        if "after-load" in parts:
            results["after_load"] = after_load(site, limit, env, work, pages)
        if "memory" in parts:
            results["memory"] = memory(site, pages, quick=args.quick)
        if "soak" in parts:
            seconds_soak = 15 if args.quick else 60
            results["soak"] = soak(site, env, work, pages, names, seconds=seconds_soak)
        out = REPO / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "load.json").write_text(json.dumps(results, indent=2))
        print(f"\nresults written to {out / 'load.json'}")
    finally:
        for server in servers:
            server.stop()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*", count=1000):
            client.delete(key)
        postgres(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


def first_names(env: dict) -> dict:
    """The first visible track, its first level, that level's tickable items, and a guide."""
    code = (
        "import json\n"
        "from roadmap.catalog.models import Guide, Stage\n"
        "s = Stage.objects.visible().filter(track__retired=False, track__published=True)"
        ".order_by('track__order', 'level__order').select_related('track', 'level').first()\n"
        "items = list(s.items.filter(kind__in=['ready_when', 'project'])"
        ".values_list('content_id', flat=True))\n"
        "g = Guide.objects.order_by('order').first()\n"
        "print(json.dumps({'track': s.track.slug, 'level': s.level.slug, 'stage': s.content_id,"
        " 'items': items, 'guide': g.slug if g else ''}))"
    )
    return json.loads(manage(env, "shell", "-c", code).splitlines()[-1])


def make_learner(site: Server, names: dict) -> str:
    """A learner with two ticks and a note on the level: their session cookie."""
    level = f"/tracks/{names['track']}/{names['level']}/"
    cookie = ""
    for item in names["items"][:2]:
        headers = {**SAME_ORIGIN, **({"Cookie": cookie} if cookie else {})}
        status, _, _, cookies = fetch(
            f"{site.url}/progress/items/{item}/", headers, {"done": "1", "next": level}
        )
        assert status == 303, status
        for value in cookies:
            if value.startswith("sessionid="):
                cookie = value.split(";")[0]
    note = f"{site.url}/progress/levels/{names['stage']}/note/"
    assert fetch(note, {**SAME_ORIGIN, "Cookie": cookie}, {"text": "bench note"})[0] == 303
    return cookie


def resolve_pages(site: Server, names: dict, learner: str) -> list[dict]:
    pages = []
    for n, (name, template, headers) in enumerate(PAGES):
        path = template.format(track=names["track"], level=names["level"], random="{random}")
        headers = {k: v.replace(LEARNER, learner) for k, v in headers.items()}
        headers["X-Bench-Page"] = str(n)
        concrete = {k: v.replace(RANDOM, "1") for k, v in headers.items()}
        status, body, sent, _ = fetch(site.url + path.replace(RANDOM, "1"), concrete)
        if status != 200:
            print(f"note: skipping {name} ({path}): it answered {status}")
            continue
        pages.append({"name": name, "path": path, "headers": headers, "body": body, "sent": sent})
    return pages


def store_limit_pages(work: Path, pages: list[dict]) -> Path:
    folder = work / "limit"
    folder.mkdir()
    index = {}
    for page in pages:
        key = page["headers"]["X-Bench-Page"]
        (folder / f"{key}.body").write_bytes(page["body"])
        index[key] = (f"{key}.body", page["sent"])
    (folder / "index.json").write_text(json.dumps(index))
    return folder


def throughput(pages, sites, cold, limit, *, seconds, rounds, connections, prefix) -> list[dict]:
    """Each page on each server, in interleaved rounds; the best round of each counts, and the
    median of the per-round ratios to the limit ("paired")."""
    print(
        f"\n1. throughput: gunicorn, 2 workers, wrk {connections} connections; "
        f"best of {rounds} interleaved rounds of {seconds} s; ratio = r/s / limit r/s"
    )
    names = [s.name for s in sites]
    header = f"{'page':<27}{'bytes':>7}{'limit r/s':>10}"
    for name in [*names, "cold"]:
        header += f"{name + ' r/s':>14}{'ratio':>7}{'paired':>7}"
    print(header)
    rows = []
    for page in pages:
        target = [(page["path"], page["headers"])]
        measured = [*sites, limit] + ([cold] if page["name"] == "stranger: level page" else [])
        for server in measured:  # fill the page cache and warm each worker
            wrk(server.url, paths=target, seconds=1, connections=4)
        keys_before = redis_keys(prefix)
        row = {"page": page["name"], "path": page["path"], "bytes": len(page["body"])}
        for _ in range(rounds):
            for server in measured:
                run = wrk(server.url, paths=target, seconds=seconds, connections=connections)
                row.setdefault(f"{server.name}_rounds", []).append(run)
                if server.name not in row or run["rps"] > row[server.name]["rps"]:
                    row[server.name] = run
        row["redis_keys_added"] = redis_keys(prefix) - keys_before
        line = f"{page['name']:<27}{row['bytes']:>7}{row['limit']['rps']:>10.0f}"
        for server in measured:
            if server is limit:
                continue
            row[f"{server.name}_ratio"] = row[server.name]["rps"] / row["limit"]["rps"]
            pairs = zip(row[f"{server.name}_rounds"], row["limit_rounds"], strict=True)
            row[f"{server.name}_paired"] = statistics.median(s["rps"] / x["rps"] for s, x in pairs)
            line += (
                f"{row[server.name]['rps']:>14.0f}{row[f'{server.name}_ratio']:>7.2f}"
                f"{row[f'{server.name}_paired']:>7.2f}"
            )
        print(line, flush=True)
        rows.append(row)
    junk = [r for r in rows if r["page"].startswith("junk")]
    for row in junk:
        total = sum(run["requests"] for run in row["site_rounds"])
        print(f"{row['page']}: {row['redis_keys_added']} Redis keys added by {total:,} requests")
    print("targets: stranger >= 0.7, learner >= 0.3, junk >= 0.3")
    return rows


RENDER_SCRIPT = """
import json, os, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

spec = json.loads(os.environ["BENCH_RENDERS"])
out = {}
stranger = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
learner = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https",
                 headers={"Sec-Fetch-Site": "same-origin"})
for item in spec["items"][:2]:
    learner.post(f"/progress/items/{item}/", {"done": "1", "next": "/"})
with override_settings(PAGE_CACHE_SECONDS=0):
    for name, path, headers in spec["pages"]:
        row = {}
        for who, client in (("stranger", stranger), ("learner", learner)):
            status = client.get(path, headers=headers).status_code  # warm the connection
            with CaptureQueriesContext(connection) as queries:
                client.get(path, headers=headers)
            count = len(queries)
            started, n = time.process_time(), 20 if spec["time"] else 0
            for _ in range(n):
                client.get(path, headers=headers)
            cpu = (time.process_time() - started) / n * 1000 if n else None
            row[who] = {"status": status, "queries": count, "cpu_ms": cpu}
        out[name] = row
print(json.dumps(out))
"""


def renders(env: dict, work: Path, names: dict) -> dict:
    """CPU per cold render (in-process, warm connection) and queries per page, 1x and 10x."""
    print("\n2. cold renders (page cache off), in-process, warm database connection")
    tenfold = make_tenfold(work / "content", work / "content-x10")
    pages = [
        (name, path.format(**names), headers)
        for name, path, headers in RENDERS
        if names.get("guide") or "{guide}" not in path
    ]
    results = {}
    for label, content in (("1x", work / "content"), ("10x", tenfold)):
        spec = {"pages": pages, "items": names["items"], "time": label == "1x"}
        run_env = {**env, "CONTENT_DIR": str(content), "BENCH_RENDERS": json.dumps(spec)}
        manage(run_env, "load_content")
        results[label] = json.loads(manage(run_env, "shell", "-c", RENDER_SCRIPT).splitlines()[-1])
    print(f"{'page':<18}{'CPU ms':>8}{'learner':>9}{'queries 1x':>12}{'10x':>5}{'learner':>9}")
    for name, *_ in pages:
        one, ten = results["1x"][name], results["10x"][name]
        print(
            f"{name:<18}{one['stranger']['cpu_ms']:>8.1f}{one['learner']['cpu_ms']:>9.1f}"
            f"{one['stranger']['queries']:>12}{ten['stranger']['queries']:>5}"
            f"{one['learner']['queries']:>5}/{ten['learner']['queries']:<3}"
        )
    print("target: <= 5 ms CPU per render; <= 8 queries, the same at 10x content")
    return results


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


def _reload_with_headline(env: dict, work: Path, n: int) -> float:
    site = work / "content" / "site.yaml"
    text = site.read_text()
    site.write_text(re.sub(r"(?m)^headline: .*$", f"headline: Reload number {n}", text, count=1))
    started = time.perf_counter()
    manage(env, "load_content")
    return time.perf_counter() - started


def after_load(site: Server, limit: Server, env: dict, work: Path, pages: list[dict]) -> dict:
    """Right after a content load (every page retired), 5 s of strangers and learners."""
    print("\n3. the 5 s right after a content load (every stored page retired)")
    paths = [(p["path"], p["headers"]) for p in pages if not p["name"].startswith("junk")]
    baseline = wrk(limit.url, paths=paths, seconds=5, connections=32)
    _reload_with_headline(env, work, 0)
    run = wrk(site.url, paths=paths, seconds=5, connections=32)
    run["ratio"] = run["rps"] / baseline["rps"]
    print(
        f"{run['rps']:.0f} r/s (limit {baseline['rps']:.0f}): ratio {run['ratio']:.2f}, "
        f"p99 {run['p99']:.0f} ms, {run['errors']} errors (target >= 0.3)"
    )
    return run


def memory(site: Server, pages: list[dict], *, quick: bool) -> dict:
    """Worker RSS after a warm-up and again after 20,000 more learner requests."""
    print("\n4. worker memory (mean RSS per worker) over learners' requests")
    paths = [(p["path"], p["headers"]) for p in pages if p["name"].startswith("learner")]
    wrk(site.url, paths=paths, seconds=3, connections=8)
    before, done, total = site.worker_rss_mb(), 0, 4_000 if quick else 20_000
    halfway = None  # growth that stops once caches are warm is not a leak: compare the halves
    while done < total:
        done += wrk(site.url, paths=paths, seconds=5, connections=16)["requests"]
        if halfway is None and done >= total / 2:
            halfway = site.worker_rss_mb()
    after = site.worker_rss_mb()
    print(
        f"{before:6.1f} MB -> {halfway:6.1f} MB halfway -> {after:6.1f} MB after {done:,} "
        f"requests ({after - before:+.1f} MB; second half {after - halfway:+.1f} MB)"
    )
    return {"requests": done, "before_mb": before, "halfway_mb": halfway, "after_mb": after}


def soak(site: Server, env: dict, work: Path, pages, names: dict, *, seconds: int) -> dict:
    """64 connections for `seconds`: 32 strangers reading, 32 for a new learner who ticks every
    item of the level while reading it; a content load every 10 s. Every tick must be saved."""
    print(f"\n5. {seconds} s at 64 connections (half strangers, half ticking), a load every 10 s")
    level = f"/tracks/{names['track']}/{names['level']}/"
    learner = make_learner(site, names)
    form = {"Content-Type": "application/x-www-form-urlencoded", **SAME_ORIGIN, "Cookie": learner}
    body = urllib.parse.urlencode({"done": "1", "next": level})
    ticking = []
    for item in names["items"]:
        ticking.append(("POST", f"/progress/items/{item}/", form, body))
        ticking.append(("GET", level, {"Cookie": learner}, ""))
    strangers = [(p["path"], p["headers"]) for p in pages if not p["name"].startswith("learner")]
    stop, reloads, failures = threading.Event(), [], []

    def reload_every_10s() -> None:
        n, started_at = 0, time.monotonic()
        while not stop.wait(max(0.0, started_at + 10 * (n + 1) - time.monotonic())):
            n += 1
            try:
                reloads.append(_reload_with_headline(env, work, n))
            except SystemExit as failure:  # reported below: a reload must not fail silently
                failures.append(str(failure))

    runs = {}

    def run(name, paths):
        runs[name] = wrk(site.url, paths=paths, seconds=seconds, connections=32)

    threads = [
        threading.Thread(target=reload_every_10s),
        threading.Thread(target=run, args=("strangers", strangers)),
        threading.Thread(target=run, args=("learners", ticking)),
    ]
    for thread in threads:
        thread.start()
    threads[1].join()
    threads[2].join()
    stop.set()
    threads[0].join()
    _, body_html, _, _ = fetch(site.url + "/", {})
    served = f"Reload number {len(reloads)}<".encode() in body_html
    _, page, _, _ = fetch(site.url + level, {"Cookie": learner})
    saved = sum(f'id="tick-box-{item}"'.encode() in page for item in names["items"])
    checked = len(re.findall(rb'name="done-[a-z0-9]+" value="1" checked>', page))
    errors = runs["strangers"]["errors"] + runs["learners"]["errors"]
    requests = runs["strangers"]["requests"] + runs["learners"]["requests"]
    print(
        f"{requests:,} requests ({runs['strangers']['rps']:.0f}/s strangers, "
        f"{runs['learners']['rps']:.0f}/s learners), {errors} errors; {len(reloads)} loads "
        f"(slowest {max(reloads, default=0):.1f} s); ticks saved and shown: {checked} of "
        f"{len(names['items'])} ({saved} on the page); the last load served at once: "
        f"{'yes' if served else 'NO'}"
    )
    for failure in failures:
        print(f"load failed: {failure}")
    return {
        **runs,
        "errors": errors,
        "loads": len(reloads),
        "load_failures": failures,
        "ticks_shown": checked,
        "items": len(names["items"]),
        "last_load_served": served,
    }


if __name__ == "__main__":
    main()
