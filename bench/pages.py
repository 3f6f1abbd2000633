"""Page weight and Lighthouse scores, per page type, against the site served as in production.

    .venv/bin/python bench/pages.py                 # starts gunicorn (production settings) itself
    .venv/bin/python bench/pages.py --url http://127.0.0.1:8000   # or measures a running site
    .venv/bin/python bench/pages.py --no-lighthouse --check       # weights only; exit 1 on a miss
    .venv/bin/python bench/pages.py --runs 3 --check              # median of 3 Lighthouse runs

For each page type it prints the HTML's size raw and gzipped, the first view's transfer (HTML +
CSS + JS, each compressed as the server sends static files and as a proxy would send HTML), the
htmx partial a tab click fetches, and the four Lighthouse scores on a simulated mid-range phone
(the npm `lighthouse` package driving Debian's Chromium). Needs `npm ci --no-audit --no-fund`.

Targets (from the issue): the home page's first view under 50 KB compressed, a track switch
under 10 KB, Lighthouse 100 in all four categories.
"""

import argparse
import gzip
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync --disable-quic"
)

# page type -> (address, the htmx partial that page's tabs fetch, if any)
PAGES = {
    "home": ("/", "/tracks/backend/"),
    "track": ("/tracks/backend/", "/tracks/backend/junior/"),
    "level": ("/tracks/data/senior/", "/tracks/data/expert/"),
    "timelines": ("/timelines/", None),
    "courses": ("/courses/", "/courses/?track=devops&cost=free"),
    "reading": ("/reading/", None),
    "guides": ("/guides/", None),
    "guide": ("/guides/levels/", None),
    "article": ("/articles/self-taught-senior/", None),
}
FIRST_VIEW_BUDGET = {"home": 50_000}
PARTIAL_BUDGET = 10_000
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def fetch(url: str, **headers) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def compressed(url: str, **headers) -> int:
    """Bytes on the wire when the client accepts gzip; gzipped here if the server sent it raw."""
    body, sent = fetch(url, **{"Accept-Encoding": "gzip", **headers})
    if sent.get("content-encoding") in {"gzip", "br"}:
        return len(body)
    return len(gzip.compress(body, 6))


def weigh(base: str, path: str, partial: str | None) -> dict:
    html, _ = fetch(base + path, **{"Accept-Encoding": "identity"})
    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assets += re.findall(r'<script src="([^"]+)"', text)
    html_gz = len(gzip.compress(html, 6))
    assets_gz = sum(compressed(base + a) for a in assets)
    row = {
        "html": len(html),
        "html_gz": html_gz,
        "assets": len(assets),
        "first_view_gz": html_gz + assets_gz,
        "partial_gz": compressed(base + partial, **{"HX-Request": "true"}) if partial else None,
    }
    return row


def lighthouse(url: str, runs: int) -> dict[str, int]:
    """The median score of each category over `runs` runs (a loaded machine makes one run noisy)."""
    results = [_lighthouse_once(url) for _ in range(runs)]
    return {c: statistics.median_low(r[c] for r in results) for c in CATEGORIES}


def _lighthouse_once(url: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                LIGHTHOUSE,
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=180,
        )
        result = json.loads(report.read_text())
    return {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}


class Server:
    """gunicorn with production settings on a free local port, static files collected first."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
        }

    def __enter__(self):
        python = sys.executable
        for command in (
            ["migrate", "-v0"],
            ["load_content"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([python, "manage.py", *command], cwd=ROOT, env=self.env, check=True)
        gunicorn = Path(python).with_name("gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                fetch(self.url + "/")
                return self
            except OSError:
                time.sleep(0.1)
        self.process.kill()
        raise SystemExit("gunicorn did not answer within 10 seconds")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def report(base: str, run_lighthouse: bool, runs: int) -> list[str]:
    misses = []
    print(f"{'page':<10} {'HTML':>8} {'gzip':>7} {'first view':>11} {'tab click':>10}", end="")
    print("   Lighthouse (perf / a11y / best practices / SEO)" if run_lighthouse else "")
    for name, (path, partial) in PAGES.items():
        row = weigh(base, path, partial)
        partial_text = f"{row['partial_gz']:>9,}B" if row["partial_gz"] else f"{'–':>10}"
        line = (
            f"{name:<10} {row['html']:>7,}B {row['html_gz']:>6,}B "
            f"{row['first_view_gz']:>10,}B {partial_text}"
        )
        if name in FIRST_VIEW_BUDGET and row["first_view_gz"] >= FIRST_VIEW_BUDGET[name]:
            misses.append(f"{name}: first view {row['first_view_gz']:,} B")
        if name in {"home", "track", "level"} and row["partial_gz"] >= PARTIAL_BUDGET:
            misses.append(f"{name}: tab click {row['partial_gz']:,} B")
        if run_lighthouse:
            scores = lighthouse(base + path, runs)
            line += "   " + " / ".join(str(scores[c]) for c in CATEGORIES)
            misses += [f"{name}: Lighthouse {c} {s}" for c, s in scores.items() if s < 100]
        print(line, flush=True)
    print("\nfirst view = HTML + CSS + JS, compressed (gzip); tab click = the htmx partial, gzip")
    return misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="measure this running site instead of starting one")
    parser.add_argument("--no-lighthouse", action="store_true", help="weights only (fast)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    args = parser.parse_args()
    run_lighthouse = not args.no_lighthouse
    if run_lighthouse and not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse is not installed: run `npm ci --no-audit --no-fund`")
    if args.url:
        misses = report(args.url.rstrip("/"), run_lighthouse, args.runs)
    else:
        with Server() as server:
            misses = report(server.url, run_lighthouse, args.runs)
    for miss in misses:
        print(f"MISSED TARGET {miss}")
    print("all targets met" if not misses else f"{len(misses)} target(s) missed")
    return 1 if misses and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
