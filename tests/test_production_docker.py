"""The image and the compose file: no Docker engine runs here, so these check what can be checked
without one. Every file the Dockerfile copies and every command it runs exists in the project;
compose.yaml passes `docker compose config`; .env.example lists every variable the code reads."""

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = (REPO / "Dockerfile").read_text()
ENTRYPOINT = REPO / "deploy" / "entrypoint.sh"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def commands_run() -> list[str]:
    """The shell text of every RUN, CMD, ENTRYPOINT, HEALTHCHECK and of the entrypoint script."""
    found = []
    for name, args in instructions():
        if name in ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"):
            found.append(args)
    found += [
        line.strip()
        for line in ENTRYPOINT.read_text().splitlines()
        if not line.strip().startswith("#")
    ]
    return found


def test_the_image_runs_the_python_the_project_pins_as_a_user_with_a_health_check():
    """An image on another Python than .python-version would run code nobody tested; a server
    running as root turns any hole into a hole in the container; without a health check the
    proxy keeps sending visitors to a dead instance."""
    pinned = ".".join((REPO / ".python-version").read_text().strip().split(".")[:2])
    images = [args.split()[0] for name, args in instructions() if name == "FROM"]
    assert images and all(re.fullmatch(rf"python:{re.escape(pinned)}[-\w.]*", i) for i in images)
    users = [args for name, args in instructions() if name == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(name == "HEALTHCHECK" and "/healthz" in args for name, args in instructions())


def test_every_file_it_copies_exists():
    for name, args in instructions():
        if name != "COPY" or "--from=" in args:
            continue
        *sources, _ = [word for word in shlex.split(args) if not word.startswith("--")]
        for source in sources:
            assert (REPO / source).exists(), f"COPY {source}: not in the project"


def test_every_manage_py_command_it_runs_exists():
    known = set(get_commands())
    used = {
        match
        for command in commands_run()
        for match in re.findall(r"manage\.py\s+([a-z_]+)", command)
    }
    assert {"collectstatic", "migrate", "load_content", "check"} <= used
    assert used <= known, f"unknown management commands: {used - known}"


def test_the_entrypoint_is_an_executable_script_with_web_and_release():
    assert ENTRYPOINT.stat().st_mode & stat.S_IXUSR
    assert ENTRYPOINT.read_text().startswith("#!/bin/sh\n")
    assert [args for name, args in instructions() if name == "ENTRYPOINT"] == [
        '["deploy/entrypoint.sh"]'
    ]
    script = ENTRYPOINT.read_text()
    assert "web)" in script and "release)" in script
    assert "exec gunicorn --config gunicorn.conf.py" in script
    result = subprocess.run(["sh", "-n", str(ENTRYPOINT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_server_it_starts_is_in_the_lock_file_and_its_app_imports():
    lock = (REPO / "requirements.lock").read_text()
    for package in ("gunicorn", "whitenoise", "psycopg", "redis", "django"):
        assert re.search(rf"^{package}(\[[a-z,]+\])?==", lock, re.M | re.I), package
    config = (REPO / "gunicorn.conf.py").read_text()
    module, _, name = re.search(r'^wsgi_app = "(.+)"', config, re.M).group(1).partition(":")
    assert callable(getattr(import_module(module), name))


def test_the_build_context_leaves_local_state_out():
    ignored = (REPO / ".dockerignore").read_text().split()
    for path in (".git", ".venv", ".env", "db.sqlite3", "staticfiles"):
        assert path in ignored


# --- compose.yaml ----------------------------------------------------------------------------


def compose_command() -> list[str]:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return [docker, "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if os.environ.get("CI"):
        pytest.fail(
            "CI needs `docker compose` or `docker-compose` (apt-get install docker-compose)"
        )
    pytest.skip("neither `docker compose` nor `docker-compose` is installed (CI requires one)")


def compose_config(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*compose_command(), "-f", str(REPO / "compose.yaml"), "config", "-q"],
        cwd=REPO,
        env={key: value for key, value in os.environ.items() if key != "SECRET_KEY"} | env,
        capture_output=True,
        text=True,
    )


def test_docker_compose_accepts_the_compose_file():
    result = compose_config(SECRET_KEY="a-secret-for-the-check")
    assert result.returncode == 0, result.stderr


def test_compose_refuses_to_start_without_a_secret_key():
    result = compose_config()
    assert result.returncode != 0
    assert "set SECRET_KEY in .env" in result.stderr


def test_the_proxy_spreads_visitors_over_every_instance_and_they_share_their_data():
    """Every web instance starts only after the release step succeeded, all of them read and
    write the same database and Redis (so a visitor sees the same site whichever answers), and
    the proxy sends visitors to exactly those instances, skipping any that fail /healthz."""
    services = yaml.safe_load((REPO / "compose.yaml").read_text())["services"]
    (release,) = [name for name, s in services.items() if s.get("command") == ["release"]]
    instances = [
        name
        for name, service in services.items()
        if service.get("image") == services[release]["image"]
        and name != release
        and "command" not in service  # the image's default command: web
    ]
    assert len(instances) >= 2
    for name in instances:
        assert services[name]["depends_on"][release]["condition"] == (
            "service_completed_successfully"
        )
    shared = {
        (services[name]["environment"]["DATABASE_URL"], services[name]["environment"]["REDIS_URL"])
        for name in [release, *instances]
    }
    assert len(shared) == 1
    caddyfile = (REPO / "deploy" / "Caddyfile").read_text()
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", caddyfile).group(1).split()
    assert sorted(upstreams) == sorted(f"{name}:8000" for name in instances)
    assert "health_uri /healthz" in caddyfile


# --- variables ---------------------------------------------------------------------------------

READS = re.compile(r"""(?:env_(?:bool|int|list)|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_env_example_lists_every_variable_the_code_reads():
    read = set()
    for path in [REPO / "roadmap" / "settings.py", REPO / "gunicorn.conf.py"]:
        read |= set(READS.findall(path.read_text()))
    read.add("DATABASE_URL")  # read by dj_database_url.config()
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (REPO / ".env.example").read_text(), re.M))
    assert read - listed == set(), "add these to .env.example"
    compose_only = {"SITE_HOST", "POSTGRES_PASSWORD"}
    assert listed - read - compose_only == set(), "no longer read anywhere"


def test_gunicorn_takes_workers_and_timeouts_from_the_environment():
    env = os.environ | {"WEB_CONCURRENCY": "3", "GUNICORN_TIMEOUT": "17", "PORT": "8123"}
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "gunicorn.conf.py",
            "--print-config",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    config = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.M))
    assert config["workers"] == "3"
    assert config["timeout"] == "17"
    assert config["bind"] == "['0.0.0.0:8123']"
    assert config["wsgi_app"] == "roadmap.wsgi:application"
    assert config["accesslog"] == "None"  # the JSON request log replaces gunicorn's


def test_a_daily_job_prunes_stale_progress_sessions_and_sign_in_logs():
    """Bots and one-off visitors must not fill the database: the compose file runs the pruning
    commands on a schedule, from the same image, against the same database."""
    services = yaml.safe_load((REPO / "compose.yaml").read_text())["services"]
    (release,) = [name for name, s in services.items() if s.get("command") == ["release"]]
    jobs = [
        " ".join(service["command"])
        for service in services.values()
        if service.get("image") == services[release]["image"]
        and "prune_progress" in " ".join(service.get("command") or [])
    ]
    assert len(jobs) == 1
    assert "clearsessions" in jobs[0] and "sleep 86400" in jobs[0]
