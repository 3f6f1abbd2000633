"""Which PostgreSQL server the multi-instance tests create their own databases on."""

import os
from urllib.parse import urlsplit


def postgres_server() -> str:
    """The PostgreSQL server (a URL without a database name): TEST_POSTGRES if set, else the
    server DATABASE_URL names (as in CI, where PostgreSQL is a service), else 127.0.0.1:5432."""
    if os.environ.get("TEST_POSTGRES"):
        return os.environ["TEST_POSTGRES"]
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme.startswith("postgres"):
        return f"{url.scheme}://{url.netloc}"
    return "postgres://postgres@127.0.0.1:5432"
