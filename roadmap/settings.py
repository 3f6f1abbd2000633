"""One settings module; every deploy-specific value comes from the environment.

`DJANGO_DEBUG=0` is production mode: it refuses to start without a real `SECRET_KEY` and
`ALLOWED_HOSTS`, and turns on secure cookies, HSTS and the HTTPS redirect. `.env.example` lists
every variable this file reads.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1 or 0)")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
PRODUCTION = not DEBUG

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-deploy"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DJANGO_DEBUG=0 the site needs its own secret key: "
        "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
        "and pass it in the SECRET_KEY environment variable."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DJANGO_DEBUG=0 list the site's host names, "
        "comma-separated, e.g. ALLOWED_HOSTS=roadmap.example.org"
    )
# Origins (scheme + host) allowed to POST, e.g. https://roadmap.example.org.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # the search index's stored document (unused on SQLite)
    "django_htmx",
    "axes",  # admin sign-in throttling
    "roadmap.content",
    "roadmap.catalog",
    "roadmap.ops",
    "roadmap.progress",
    "roadmap.start",
    "roadmap.plan",
    "roadmap.search",
]

MIDDLEWARE = [
    # Outermost, so every response is logged and timed, static files and health probes included.
    "roadmap.ops.middleware.RequestLogMiddleware",
    # Too-large bodies are refused before they are read, cut-short ones before anything is saved.
    "roadmap.ops.requests.RequestBodyMiddleware",
    # HEAD wherever GET works; 405 with Allow for a method a URL does not take. Outside the page
    # cache, so a HEAD is served (and a miss stored) as the GET it stands for.
    "roadmap.ops.requests.MethodMiddleware",
    # A stored page holds the headers of every middleware below, so a hit skips them all.
    "roadmap.ops.page_cache.PageCacheMiddleware",
    # Security headers wrap everything below, so static files and /healthz carry them as well.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "roadmap.ops.middleware.PermissionsPolicyMiddleware",
    # Before CommonMiddleware's host check: probes address an instance by its IP address.
    "roadmap.ops.middleware.HealthCheckMiddleware",
    # A view that fails because the database is down or full answers 503, not 500.
    "roadmap.ops.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: refuses a locked-out sign-in before the password is hashed.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "roadmap.urls"
WSGI_APPLICATION = "roadmap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Embedded SQLite unless DATABASE_URL names another database (PostgreSQL in CI and production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail a health check or a request fast (libpq waits at least 2 s) rather than hang when the
    # database is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process's memory unless REDIS_URL names a shared Redis, which every instance then uses for
# the page cache and the content version. Redis is only ever a cache: when it fails or hangs,
# every call answers as a miss within the timeouts below, and a circuit breaker skips Redis for
# a few seconds after a failure (roadmap/ops/redis_cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = env_int("REDIS_TIMEOUT_MS", 100) / 1000
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "roadmap.ops.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "roadmap"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "circuit_breaker_seconds": env_int("REDIS_CIRCUIT_BREAKER_SECONDS", 5),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "roadmap"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# Sessions (learner progress, admin sign-ins) live in the database: a learner's ticks must not
# depend on the cache being up. With Redis, a copy is also written there (write-through), so a
# learner's page reads their session from Redis, not PostgreSQL; a cache miss or a Redis failure
# reads the database. Local memory is one process's: there the database alone.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db")

# Rendered pages are cached per content version for this long (0 turns the page cache off). Off
# by default in development, where an edited template must show on the next reload.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 24 * 60 * 60)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes (the image builds it at /app/staticfiles).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves hashed, gzip- and brotli-compressed copies made by collectstatic, cached
    # for a year by browsers and CDNs; development serves the files in static/ as they are.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- security -----------------------------------------------------------------------------------
# Every response, in every mode: no inline script or style, nothing from other origins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
SESSION_COOKIE_HTTPONLY = True
# Learner progress hangs on the session: keep it for a year.
SESSION_COOKIE_AGE = 365 * 24 * 60 * 60
# A staff member's sign-in lasts hours, not the learner's year (roadmap/ops/admin_session.py).
ADMIN_SESSION_SECONDS = env_int("ADMIN_SESSION_HOURS", 8) * 60 * 60

# Admin sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
# or from one address, that account or address is refused for AXES_COOLOFF_TIME, checked
# before the password hash runs. Behind the proxy the address is the last X-Forwarded-For hop
# (the proxy overwrites that header); without it, the socket's address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "roadmap.ops.admin_session.locked_out_response"
AXES_CLIENT_IP_CALLABLE = "roadmap.ops.admin_session.client_address"
# Set where a proxy that overwrites X-Forwarded-For (deploy/Caddyfile) is the only way in.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
AXES_VERBOSE = False

# --- request limits -----------------------------------------------------------------------------
# Bodies over these sizes are refused with 413 before they are read (roadmap/ops/requests.py).
# A note is at most 5,000 characters, which a form encodes in at most ~60 KB; a progress file
# is at most 256 KB; admin keeps Django's default. The proxy (deploy/Caddyfile) refuses the same.
REQUEST_BODY_MAX_BYTES = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB, Django's default
REQUEST_BODY_MAX_BYTES_BY_PATH = {
    "/progress/import/": 1024 * 1024,
    "/admin/": DATA_UPLOAD_MAX_MEMORY_SIZE,
}
# Uploads up to the largest limit are held in memory, never spooled to disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Forms carry the token in a hidden field, so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # TLS ends at the proxy, which must set (and overwrite) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Health probes come over plain HTTP from inside the network (Docker, the load balancer).
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- logging ------------------------------------------------------------------------------------
# One JSON object per line on stdout: a line per request from RequestLogMiddleware, and warnings
# and errors from everything else.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "roadmap.ops.logging.JsonFormatter"}},
    "filters": {"warning_only": {"()": "roadmap.ops.logging.WarningWithoutTraceback"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
        "stdout_warning": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["warning_only"],
        },
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "roadmap": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        # The request log already records every 4xx and 5xx; keep Django's tracebacks only.
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        # Bad Host headers, forged cookies, oversized forms: bots' noise, a line each.
        "django.security": {"handlers": ["stdout_warning"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["stdout_warning"], "level": "WARNING", "propagate": False},
    },
}

# Where the editors' files live; the loader, validator and exporter all read this.
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))
# The repository that "Suggest an edit" links point to.
REPOSITORY_URL = os.environ.get("REPOSITORY_URL", "https://github.com/roadmap-dev/roadmap")
