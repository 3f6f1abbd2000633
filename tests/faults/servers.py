"""Real servers for the fault and abuse tests, each on a free port and in a temporary directory:
a redis-server, a PostgreSQL cluster (initdb), and the site under gunicorn in production mode.

Never the machine's own PostgreSQL or Redis: these tests stop, pause and break what they start.
Without the server binaries the tests skip, except under CI, where that is a failure.
"""

import glob
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
VALID_TREE = REPO / "tests" / "content" / "valid"
SITE = "roadmap.test"  # the host name the site serves, as behind the proxy
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def need(what: str, found) -> None:
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {what} and cannot find it")
        pytest.skip(f"needs {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


# --- Redis ------------------------------------------------------------------------------------


class RedisServer:
    def __init__(self, work: Path):
        binary = shutil.which("redis-server")
        need("redis-server", binary)
        self.binary, self.port = binary, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = work / "redis.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no"],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, "redis-server to answer")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused server cannot act on SIGTERM
            self.process.terminate()
            self.process.wait(timeout=10)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


# --- PostgreSQL -------------------------------------------------------------------------------


class PostgresCluster:
    """initdb into a temporary directory; as the `postgres` user when the tests run as root."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        need("PostgreSQL server binaries (/usr/lib/postgresql/*/bin)", bins)
        self.bin = Path(bins[-1]).parent
        self.port = free_port()
        # Its own directory: pytest's is private to the user running the tests, not `postgres`.
        work = self.work = Path(tempfile.mkdtemp(prefix="roadmap-faults-pg-"))
        self.data = work / "pgdata"
        self.socket_dir = work / "pgsocket"
        self.log = work / "postgres.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/roadmap"
        self.socket_dir.mkdir()
        self.log.touch()
        if self.as_user:
            shutil.chown(work, "postgres")
            for path in (self.socket_dir, self.log):
                shutil.chown(path, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self.sql("CREATE DATABASE roadmap", database="postgres")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def sql(self, statement: str, *, database: str = "roadmap") -> list[tuple]:
        import psycopg

        dsn = f"postgres://postgres@127.0.0.1:{self.port}/{database}"
        with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def read_only(self, on: bool) -> None:
        """Every new and existing session refuses writes, as a full disk does."""
        value = "on" if on else "off"
        self.sql(f"ALTER SYSTEM SET default_transaction_read_only = {value}")
        self.sql("SELECT pg_reload_conf()")


# --- the site under gunicorn ------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    text: str


@dataclass
class Site:
    """One gunicorn instance in production mode over its own content tree."""

    work: Path
    database_url: str
    redis_url: str = ""
    workers: int = 2
    threads: int | None = None
    env: dict = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen | None = None
    # Already built by the caller (tests/conftest.py's session fixtures), so that several sites
    # in one run collect static files and migrate once: a STATIC_ROOT, and a migrated SQLite file
    # to copy to the database_url's path.
    static_root: Path | None = None
    migrated_sqlite: Path | None = None

    def __post_init__(self):
        self.content = self.work / "content"
        shutil.copytree(VALID_TREE, self.content)
        self.log = self.work / "gunicorn.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
            "DJANGO_SETTINGS_MODULE": "roadmap.settings",
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": SITE,
            "CSRF_TRUSTED_ORIGINS": f"https://{SITE}",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CACHE_KEY_PREFIX": f"faults-{secrets.token_hex(3)}",
            "STATIC_ROOT": str(self.static_root or self.work / "static"),
            "CONTENT_DIR": str(self.content),
            "WEB_CONCURRENCY": str(self.workers),
            "HOST": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",  # log lines reach the log file as they are written
            **({"GUNICORN_THREADS": str(self.threads)} if self.threads else {}),
            **self.env,
        }
        if not self.static_root:
            self.manage("collectstatic", "--noinput", "--verbosity", "0")
        if self.migrated_sqlite:
            shutil.copyfile(self.migrated_sqlite, self.database_url.removeprefix("sqlite:///"))
        else:
            self.manage("migrate", "--verbosity", "0")
        self.manage("load_content")

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, f"manage.py {args}: {result.stdout}{result.stderr}"
        return result

    def start(self) -> "Site":
        self.port = free_port()
        self.process = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py"],
            cwd=REPO,
            env={**self.env, "PORT": str(self.port)},
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_until(self._listening, "gunicorn to answer")
        return self

    def _listening(self) -> bool:
        assert self.process.poll() is None, f"gunicorn exited; see {self.log}"
        try:
            return self.request("GET", "/healthz").status in (200, 503)
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict | None = None,
        timeout: float = 30,
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(
                method,
                path,
                body=body,
                headers={"Host": SITE, "X-Forwarded-Proto": "https", **(headers or {})},
            )
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
            return Response(answer.status, dict(answer.getheaders()), text)
        finally:
            connection.close()

    def health(self) -> tuple[int, dict]:
        import json

        answer = self.request("GET", "/healthz")
        return answer.status, json.loads(answer.text)["checks"]

    def shell(self, code: str) -> str:
        """Run Python with Django set up against this site's database; returns its output."""
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@dataclass
class Browser:
    """A visitor: keeps its cookies and posts forms the way a current browser does."""

    site: Site
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **headers: str) -> Response:
        return self._send("GET", path, None, headers)

    def post(self, path: str, data: dict, **headers: str) -> Response:
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        headers = {
            "Sec-Fetch-Site": "same-origin",
            "Origin": f"https://{SITE}",
            "Referer": f"https://{SITE}/progress/",
            "Content-Type": "application/x-www-form-urlencoded",
            **headers,
        }
        return self._send("POST", path, urlencode(data).encode(), headers)

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> Response:
        if self.cookies:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **headers}
        answer = self.site.request(method, path, body, headers)
        for name, value in answer.headers.items():
            if name.lower() == "set-cookie":
                for cookie_name, morsel in SimpleCookie(value).items():
                    self.cookies[cookie_name] = morsel.value
        return answer


def first_tickable(site: Site) -> tuple[str, str]:
    """(level page path, tick form path) of the first item that can be ticked."""
    return tuple(
        site.shell(
            "from roadmap.progress.selectors import _tickable_items\n"
            "from django.urls import reverse\n"
            "item = _tickable_items().select_related('stage__track', 'stage__level').first()\n"
            "print(reverse('level', args=[item.stage.track.slug, item.stage.level.slug]))\n"
            "print(reverse('progress:tick', args=[item.content_id]))"
        ).splitlines()
    )


def ticked_on_page(html: str, tick_path: str) -> bool:
    """Whether the page shows the item of `tick_path` as ticked (its checkbox is checked)."""
    item_id = tick_path.rstrip("/").rsplit("/", 1)[-1]
    box = re.search(rf'<input[^>]*id="tick-box-{re.escape(item_id)}"[^>]*>', html)
    return bool(box) and re.search(r"\schecked\b", box.group(0)) is not None
