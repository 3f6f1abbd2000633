"""One content load at a time.

Two loads at once would both find a new id missing and both insert it, and the second would die
on a raw IntegrityError halfway through. So a load first takes a database-wide lock, held until
its transaction ends (commit or rollback, so a crashed load never leaves it behind):

- PostgreSQL: a transaction-level advisory lock (`pg_advisory_xact_lock`).
- SQLite: the database's single write lock, taken at once by a write that changes nothing
  rather than at the load's first real write. A second load waits for it up to the connection's
  timeout, then stops.
"""

from collections.abc import Callable

from django.db import OperationalError, connection

from roadmap.catalog.models import ContentLoad

LOCK_KEY = 72_011_2026  # any number no other advisory lock in this database uses
BUSY = "another load_content is running; run this one again when it has finished"


class LoadBusy(Exception):
    def __init__(self):
        super().__init__(BUSY)


def load_lock(*, on_busy: Callable[[], None] | None) -> None:
    """Take the load lock inside the current transaction. When another load holds it: call
    `on_busy` and wait, or (`on_busy` None) raise LoadBusy at once."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
            if cursor.fetchone()[0]:
                return
            if on_busy is None:
                raise LoadBusy()
            on_busy()
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        return
    if connection.vendor == "sqlite":
        _sqlite_lock(on_busy)


def _sqlite_lock(on_busy: Callable[[], None] | None) -> None:
    """Try the write lock without waiting; when busy, call `on_busy` and wait for it as long as
    the connection's timeout allows (SQLite has no lock that waits forever)."""
    table = connection.ops.quote_name(ContentLoad._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        patience = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            if _sqlite_write(cursor, table):
                return
            if on_busy is None:
                raise LoadBusy()
            on_busy()
            cursor.execute(f"PRAGMA busy_timeout = {patience}")
            if not _sqlite_write(cursor, table):
                raise LoadBusy()
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {patience}")


def _sqlite_write(cursor, table: str) -> bool:
    """A write that changes nothing but takes the database's write lock; False when busy."""
    try:
        cursor.execute(f"UPDATE {table} SET id = id WHERE 0")  # noqa: S608
    except OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise
    return True
