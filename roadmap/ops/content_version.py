"""The content version: pages are cached under it, so a new version retires every cached page.

A content load or an admin save bumps it. The database row is the truth, written in the same
transaction as the change; a shared cache (Redis) mirrors it once the transaction commits, so every
instance reads the new version on its next request, in the same round trip as the page. With a
cache that only one process sees (local memory) each request reads the row instead.

Redis also keeps the last version it knew without expiry: while the database is down, cached
pages are still served under it.
"""

import secrets
import time
from datetime import UTC, datetime
from functools import partial
from typing import NamedTuple

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, connection, transaction

from .models import ContentVersion

CACHE_KEY = "content-version"
LAST_KNOWN_KEY = "content-version:last-known"
# A shared cache re-reads the row at least this often, which also repairs a bump whose cache write
# was lost while the cache was down.
CACHE_SECONDS = 60
ROW_ID = 1


class Version(NamedTuple):
    token: str
    changed_at: float  # Unix time; 0 when unknown


def content_version_get() -> Version:
    return content_version_get_with(None)[0]


def content_version_get_with(key: str | None) -> tuple[Version, object]:
    """The version and the cached value of `key` (or None), in one round trip."""
    if not cache_is_shared():
        return _from_database(), cache.get(key) if key else None
    found = cache.get_many([CACHE_KEY, key] if key else [CACHE_KEY])
    version = found.get(CACHE_KEY)
    if version is None:
        try:
            version = _from_database()
        except DatabaseError:
            version = cache.get(LAST_KNOWN_KEY)
            if version is None:
                raise
            cache.add(CACHE_KEY, version, 5)  # ask the database again in a few seconds
            return version, found.get(key)
        cache.add(CACHE_KEY, version, CACHE_SECONDS)
        cache.set(LAST_KNOWN_KEY, version, None)
    return version, found.get(key)


def content_version_bump() -> Version:
    """A new version, written now and published to the shared cache when the transaction commits."""
    version = Version(secrets.token_hex(8), time.time())
    ContentVersion.objects.update_or_create(
        pk=ROW_ID,
        defaults={
            "token": version.token,
            "changed_at": datetime.fromtimestamp(version.changed_at, UTC),
        },
    )
    if cache_is_shared():
        transaction.on_commit(partial(_publish, version), robust=True)
    return version


def content_version_announce() -> None:
    """Tell the shared cache and every instance the version the database holds, once the current
    transaction commits: repairs an announcement lost when a load died right after its commit."""
    if cache_is_shared():
        transaction.on_commit(lambda: _publish(_from_database()), robust=True)


def _publish(version: Version) -> None:
    cache.set(CACHE_KEY, version, CACHE_SECONDS)
    cache.set(LAST_KNOWN_KEY, version, None)


def cache_is_shared() -> bool:
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def content_version_bump_on_change(**kwargs) -> None:
    """Receiver for every ORM change of catalogue content (connected in apps.py)."""
    content_version_bump()


def _from_database() -> Version:
    # Plain SQL: with a local-memory cache this runs on every request, and the ORM would triple it.
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, changed_at FROM {table} WHERE id = %s", [ROW_ID])
        row = cursor.fetchone()
    if row is None:
        return Version("none", 0)
    changed_at = row[1]
    if isinstance(changed_at, str):
        changed_at = datetime.fromisoformat(changed_at)
    if changed_at.tzinfo is None:  # SQLite stores UTC without saying so
        changed_at = changed_at.replace(tzinfo=UTC)
    return Version(row[0], changed_at.timestamp())
