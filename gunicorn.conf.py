"""Gunicorn settings, every one from the environment: `gunicorn -c gunicorn.conf.py`.

Sync workers: each renders one request at a time on its own core, and the proxy in front buffers
slow clients. Size WEB_CONCURRENCY to the cores the container gets (about 2 per core).
"""

import os

from roadmap.settings import env_bool, env_int

# Django behind the page cache's fast path (roadmap/ops/wsgi.py).
wsgi_app = "roadmap.ops.wsgi:application"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{env_int('PORT', 8000)}"
workers = env_int("WEB_CONCURRENCY", 2)
threads = env_int("GUNICORN_THREADS", 1)
# Kill a worker stuck longer than this on one request; finish in-flight requests on shutdown.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so slow leaks cannot grow forever (0 = never).
max_requests = env_int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 0)
# Import Django once in the master, so workers fork with it loaded and start fast.
preload_app = env_bool("GUNICORN_PRELOAD", True)
# The proxy's X-Forwarded-* headers are trusted from these addresses (the compose network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No runtime control socket: several instances on one host would share its default path.
control_socket_disable = True
# Heartbeat files in memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Django's RequestLogMiddleware writes the access log as JSON; gunicorn's own lines go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "roadmap.ops.logging.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
        }
    },
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}
