"""Gunicorn settings, every one from the environment: `gunicorn -c gunicorn.conf.py`.

Threaded workers (gthread): each worker process serves GUNICORN_THREADS connections at once. The
proxy in front (deploy/Caddyfile) buffers whole requests, so behind it a thread is busy only while
Django renders; but a sync worker, exposed without that proxy, is held by one client that sends
its headers or body slowly, and two such clients stopped the whole site. With threads, a handful
of slow connections each hold one thread while the others keep answering, and a connection that
sends nothing at all waits in the worker's poller, not in a thread. Size WEB_CONCURRENCY to the
cores the container gets (about 2 per core); each thread may hold a database connection.
"""

import os

from roadmap.settings import env_bool, env_int

# The same application `runserver` runs.
wsgi_app = "roadmap.wsgi:application"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{env_int('PORT', 8000)}"
workers = env_int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 16)
# Restart a worker whose main loop is stuck this long; finish in-flight requests on shutdown.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Header limits well under gunicorn's defaults: no page needs a long line or many headers.
limit_request_line = 4094
limit_request_fields = 50
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
