"""Two gunicorn instances of the site sharing one PostgreSQL database and one Redis, as behind a
load balancer: whatever changes through one is what the other serves on its very next request.

Needs PostgreSQL and Redis: the servers DATABASE_URL and REDIS_URL name when they are set (as in
CI, where they are services), else PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and
Redis on 127.0.0.1:6379 (TEST_POSTGRES and TEST_REDIS_URL override both). Skipped without them,
except under CI, where that is a failure. It creates its own database
(roadmap_helper_ops_multi_<pid>) on that server and uses the Redis database under a key prefix of
its own, and removes both. The instances serve a copy of the site fixture tree
(tests/content/site), never the real content/.
Run alone: `make test-multi-instance`.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from postgres_server import postgres_server

pytestmark = pytest.mark.multi_instance

REPO = Path(__file__).resolve().parent.parent.parent
SITE_CONTENT = REPO / "tests/content/site"


POSTGRES = postgres_server()
REDIS_URL = (
    os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
)
SITE = "roadmap.test"  # the host name both instances serve, as behind one proxy
ADMIN_PASSWORD = secrets.token_urlsafe(16)


def services_or_skip() -> None:
    import psycopg
    import redis

    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except (psycopg.Error, redis.RedisError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL at {POSTGRES} and Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"needs PostgreSQL at {POSTGRES} and Redis at {REDIS_URL}: {exc}")


def postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- a browser without cookies' Secure rules: the proxy's TLS is played by X-Forwarded-Proto ---


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Page:
    status: int
    headers: dict
    text: str


@dataclass
class Browser:
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, instance: str, path: str, **headers: str) -> Page:
        return self._send(instance, path, None, headers)

    def post(self, instance: str, path: str, data: dict, referer: str = "/") -> Page:
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        headers = {"Origin": f"https://{SITE}", "Referer": f"https://{SITE}{referer}"}
        return self._send(instance, path, urlencode(data, doseq=True).encode(), headers)

    def _send(self, instance: str, path: str, body: bytes | None, headers: dict) -> Page:
        headers = {"Host": SITE, "X-Forwarded-Proto": "https", **headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(instance + path, data=body, headers=headers)
        try:
            response = OPENER.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        text = response.read().decode()
        return Page(response.status, dict(response.headers), text)


class FormFields(HTMLParser):
    """What a browser would submit from the form with the given id."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") not in ("checkbox", "radio"):
                self.fields.append((a["name"], a.get("value") or ""))
            elif "checked" in a:
                self.fields.append((a["name"], a.get("value") or "on"))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields.append((a["name"], ""))

    def handle_data(self, data):
        if self.textarea:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text.removeprefix("\n"))
            self.textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


# --- the cluster -------------------------------------------------------------------------------


@dataclass
class Cluster:
    env: dict
    content: Path
    a: str  # base URL of instance A
    b: str
    logs: list[Path]

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"manage.py {args}: {result.stdout}{result.stderr}"
        return result.stdout


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    services_or_skip()
    work = tmp_path_factory.mktemp("two-instances")
    database = f"roadmap_helper_ops_multi_{os.getpid()}"
    prefix = f"multi-{os.getpid()}-{secrets.token_hex(3)}"
    shutil.copytree(SITE_CONTENT, work / "content")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
        "DJANGO_SETTINGS_MODULE": "roadmap.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": SITE,
        "CSRF_TRUSTED_ORIGINS": f"https://{SITE}",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "STATIC_ROOT": str(work / "static"),
        "CONTENT_DIR": str(work / "content"),
        "WEB_CONCURRENCY": "2",
        "HOST": "127.0.0.1",
        "DJANGO_SUPERUSER_USERNAME": "admin",
        "DJANGO_SUPERUSER_EMAIL": "admin@example.org",
        "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
    }
    postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    postgres(f"CREATE DATABASE {database}")
    processes, logs = [], []
    try:
        cluster = Cluster(env, work / "content", "", "", logs)
        # Static files (as the image builds them) while the database is prepared: independent.
        static = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        cluster.manage("migrate", "--verbosity", "0")  # the release step, as the image runs it
        cluster.manage("load_content")
        cluster.manage("createsuperuser", "--noinput")
        output, _ = static.communicate(timeout=300)
        assert static.returncode == 0, f"collectstatic: {output}"
        urls = []
        for name in ("a", "b"):
            port = free_port()
            log = work / f"{name}.log"
            processes.append(
                subprocess.Popen(
                    [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
                    cwd=REPO,
                    env={**env, "PORT": str(port)},
                    stdout=log.open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
            logs.append(log)
        for url, process in zip(urls, processes, strict=True):
            wait_for_health(url, process)
        cluster.a, cluster.b = urls
        yield cluster
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*", count=1000):
            client.delete(key)
        postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def wait_for_health(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the instance at {url} exited"
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not become healthy")


def headline(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


# --- the tests ---------------------------------------------------------------------------------


def test_both_instances_are_healthy_and_log_one_json_line_per_request(cluster):
    for instance in (cluster.a, cluster.b):
        page = Browser().get(instance, "/healthz")
        assert page.status == 200
        assert json.loads(page.text)["checks"] == {"database": "ok", "cache": "ok"}
    lines = [json.loads(line) for log in cluster.logs for line in log.read_text().splitlines()]
    requests = [line for line in lines if line["logger"] == "roadmap.request"]
    assert {line["path"] for line in requests} >= {"/healthz"}


def test_a_content_change_loaded_through_one_is_served_by_the_other_on_the_next_request(cluster):
    visitor = Browser()
    for _ in range(2):
        before = visitor.get(cluster.b, "/")
    assert before.headers["X-Page-Cache"] == "hit"  # B holds the old page
    site = cluster.content / "site.yaml"
    new_headline = f"Changed through instance A {secrets.token_hex(4)}"
    text, count = re.subn(r"(?m)^headline: .*$", f"headline: {new_headline}", site.read_text())
    assert count == 1
    site.write_text(text)

    cluster.manage("load_content")  # run where instance A runs, as the release step would

    after = visitor.get(cluster.b, "/")
    assert headline(after.text) == new_headline
    assert headline(visitor.get(cluster.a, "/").text) == new_headline


def test_an_admin_edit_saved_through_one_is_served_by_the_other_on_the_next_request(cluster):
    visitor, admin = Browser(), Browser()
    track = json.loads(
        cluster.manage(
            "shell",
            "-c",
            "import json; from roadmap.catalog.models import Track;"
            "t = Track.objects.visible().order_by('order').first();"
            "print(json.dumps({'pk': t.pk, 'slug': t.slug}))",
        ).splitlines()[-1]
    )
    for _ in range(2):
        visitor.get(cluster.b, f"/tracks/{track['slug']}/")
    assert visitor.get(cluster.b, f"/tracks/{track['slug']}/").headers["X-Page-Cache"] == "hit"

    admin.get(cluster.a, "/admin/login/")
    login = admin.post(
        cluster.a,
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": ADMIN_PASSWORD},
        referer="/admin/login/",
    )
    assert login.status == 302, login.text[:500]
    change = f"/admin/catalog/track/{track['pk']}/change/"
    form = dict(form_fields(admin.get(cluster.a, change).text, "track_form"))
    new_name = f"Renamed through instance A {secrets.token_hex(3)}"
    form["name"] = new_name
    saved = admin.post(cluster.a, change, form, referer=change)
    errors = re.findall(r"<ul class=\"errorlist[^>]*>(.*?)</ul>", saved.text, re.S)
    assert saved.status == 302, errors or saved.text[:2000]

    page = visitor.get(cluster.b, f"/tracks/{track['slug']}/")
    assert new_name in page.text


def test_a_tick_saved_through_one_is_seen_through_the_other(cluster):
    learner = Browser()
    assert learner.get(cluster.a, "/progress/").status == 200
    item, tick_url, export_url = cluster.manage(
        "shell",
        "-c",
        "from django.urls import reverse; from roadmap.progress.selectors import tickable_item_get;"
        "from roadmap.catalog.models import StageItem;"
        "items = StageItem.objects.visible().filter(kind='ready_when').values_list('content_id')"
        ".order_by('pk');"
        "item = next(i for (i,) in items if tickable_item_get(item_id=i));"
        "print(item, reverse('progress:tick', args=[item]), reverse('progress:export_json'))",
    ).split()[-3:]
    ticked = learner.post(cluster.a, tick_url, {"done": "1"}, referer="/progress/")
    assert ticked.status in (200, 303), ticked.text[:500]
    exported = learner.get(cluster.b, export_url)
    assert exported.status == 200
    assert item in exported.text
