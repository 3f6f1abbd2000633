"""Production mode (DJANGO_DEBUG=0), run in child processes because settings read the environment
once: required variables, `check --deploy`, HTTPS behind a proxy, cookies, static files."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SECRET = "a-test-only-secret-key-that-is-long-and-random-enough-0123456789abcdef"
HOST = "roadmap.example.org"


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in PROJECT_VARIABLES and not key.startswith("DJANGO_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="roadmap.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


PROJECT_VARIABLES = {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "STATIC_ROOT"}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run(production_env(SECRET_KEY=None), "manage.py", "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr  # and says how to make one


def test_production_refuses_the_development_key():
    result = run(
        production_env(SECRET_KEY="dev-only-insecure-key-do-not-deploy"), "manage.py", "check"
    )
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run(production_env(ALLOWED_HOSTS=None), "manage.py", "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_a_value_that_is_not_a_boolean_is_an_error():
    result = run(production_env(DJANGO_DEBUG="maybe"), "manage.py", "check")
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


def test_check_deploy_finds_nothing_to_warn_about():
    result = run(production_env(), "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_are_the_secure_ones():
    code = (
        "import json, django; from django.conf import settings as s; django.setup();"
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        "'CSRF_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS',"
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS',"
        "'ALLOWED_HOSTS']} | {'static': s.STORAGES['staticfiles']['BACKEND']}))"
    )
    values = json.loads(run(production_env(), "-c", code).stdout)
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": [f"https://{HOST}"],
        "ALLOWED_HOSTS": [HOST],
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }


# --- a production instance, served through Django's test client in a child process ------------

CLIENT = """
import json, sys
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST=sys.argv[1])
out = []
for path, headers in json.loads(sys.argv[2]):
    response = client.get(path, headers=headers)
    out.append({
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {name: dict(morsel) for name, morsel in response.cookies.items()},
    })
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory, collected_static, migrated_sqlite):
    """Static files collected as the image builds them, and the tables /healthz writes to."""
    work = tmp_path_factory.mktemp("production")
    shutil.copyfile(migrated_sqlite, work / "db.sqlite3")
    env = production_env(
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}", STATIC_ROOT=str(collected_static)
    )
    return env, collected_static


def get(production, *requests: tuple[str, dict]) -> list[dict]:
    env, _ = production
    result = run(env, "-c", CLIENT, HOST, json.dumps(requests))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


PROXIED = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def served(production) -> dict[str, dict]:
    """What the production instance answers to each request below, asked in one child process
    (starting Django once, not once per test)."""
    _, static = production
    manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
    stylesheet = "/static/" + manifest["css/site.css"]
    requests = {
        "plain http": ("/admin/login/", {}),
        "https behind the proxy": ("/admin/login/", PROXIED),
        "health probe": ("/healthz", {"Host": "10.0.0.7:8000"}),
        "stylesheet, brotli": (stylesheet, PROXIED | {"Accept-Encoding": "br, gzip"}),
        "stylesheet, gzip": (stylesheet, PROXIED | {"Accept-Encoding": "gzip"}),
    }
    return dict(zip(requests, get(production, *requests.values()), strict=True))


def test_plain_http_is_redirected_to_https(served):
    response = served["plain http"]
    assert response["status"] == 301
    assert response["headers"]["Location"] == f"https://{HOST}/admin/login/"


def test_https_behind_the_proxy_is_served_with_hsts_and_secure_cookies(served):
    response = served["https behind the proxy"]
    assert response["status"] == 200
    hsts = response["headers"]["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    csrf = response["cookies"]["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    assert "'unsafe-inline'" not in response["headers"]["Content-Security-Policy"]


def test_health_probes_over_plain_http_are_not_redirected(served):
    assert served["health probe"]["status"] == 200


def test_static_files_have_hashed_names_brotli_and_gzip_copies_and_live_a_year(production, served):
    _, static = production
    manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
    for name in ("admin/css/base.css", "css/site.css"):
        hashed = manifest[name]
        assert hashed != name and hashed.endswith(".css")
        assert (static / f"{hashed}.br").exists() and (static / f"{hashed}.gz").exists()
    brotli, gzip = served["stylesheet, brotli"], served["stylesheet, gzip"]
    assert (brotli["status"], brotli["headers"]["Content-Encoding"]) == (200, "br")
    assert gzip["headers"]["Content-Encoding"] == "gzip"
    assert brotli["headers"]["Cache-Control"] == "max-age=315360000, public, immutable"
    assert brotli["headers"]["X-Content-Type-Options"] == "nosniff"
