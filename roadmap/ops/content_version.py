"""The content version: pages are cached under it, so a new version retires every cached page.

A content load or an admin save bumps it. The database row is the truth, written in the same
transaction as the change; a shared cache (Redis) mirrors it once the transaction commits, so every
instance reads the new version on its next request without asking the database. With a cache
that only one process sees (local memory) each request reads the row instead.

With Redis, each process also subscribes to a channel on which every bump is announced, and
trusts the version it last read until an announcement arrives (or a few seconds pass). A thread
of its own waits for the announcements, so a request costs neither a round trip nor a system call;
an announcement takes effect within milliseconds (the thread needs its turn at the interpreter).
"""

import logging
import os
import secrets
import threading
import time
from datetime import UTC, datetime
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, connection, transaction

from .models import ContentVersion

logger = logging.getLogger("roadmap.content_version")

CACHE_KEY = "content-version"
# A shared cache re-reads the row at least this often, which also repairs a bump whose cache write
# was lost while the cache was down.
CACHE_SECONDS = 60
# The last version read, kept without expiry: while the database is unreachable, pages already in
# the shared cache keep being served under it instead of every request failing.
LAST_KNOWN_KEY = "content-version:last-known"
ROW_ID = 1


class Version(NamedTuple):
    token: str
    changed_at: float  # Unix time; 0 when unknown


def content_version_get() -> Version:
    return content_version_get_with(None)[0]


def content_version_get_with(key: str | None) -> tuple[Version, object]:
    """The version and the cached value of `key` (or None), in at most one round trip."""
    global _seen
    if not cache_is_shared():
        return _from_database(), cache.get(key) if key else None
    watched = _watcher.current()
    if watched is not None:
        return watched, cache.get(key) if key else None
    heard = _watcher.heard()  # before the read, so no announcement can slip between
    found = cache.get_many([CACHE_KEY, key] if key else [CACHE_KEY])
    version = found.get(CACHE_KEY)
    if version is None:
        try:
            version = _from_database()
        except DatabaseError:
            version = _last_known(found.get(key))
            if version is None:
                raise
            return version, found.get(key)  # not trusted for longer than this request
        cache.add(CACHE_KEY, version, CACHE_SECONDS)
        cache.set(LAST_KNOWN_KEY, version, None)
    _watcher.remember(version, heard)
    _seen = version
    return version, found.get(key)


# The version this process last read: with LAST_KNOWN_KEY (which a restarted Redis has lost),
# what stands in while the database cannot be read.
_seen: Version | None = None


def _last_known(entry) -> Version | None:
    """A version to serve stored pages under while the database is down: this process's last,
    the shared cache's last, or the one the page itself was stored under."""
    version = _seen or cache.get(LAST_KNOWN_KEY)
    token = getattr(entry, "token", None)
    if version is None and isinstance(token, str) and token:
        version = Version(token, 0.0)
    return version


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
    # This process's own next request must not wait for its announcement to come back.
    _watcher.news()
    if settings.REDIS_URL and _cache_answers():
        _redis().publish(_channel(), version.token)


def _cache_answers() -> bool:
    """False while the cache's circuit breaker says Redis is failing: do not wait on it again."""
    return not getattr(getattr(cache, "breaker", None), "reason", "")


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


class _Watcher:
    """This process's subscription to version announcements (Redis only).

    A daemon thread per process (started on the first request, so each forked worker has its own)
    waits for announcements and forgets the version the moment one arrives. Until it has
    subscribed, and while its connection is down, requests ask Redis every time.
    """

    # Even with no announcement, ask Redis again after this long.
    TRUST_SECONDS = 5
    RETRY_SECONDS = 5

    def __init__(self):
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.pid = 0
        self.listening = False
        self.announcements = 0  # how many arrived, so a read that raced one is not trusted
        self.version: Version | None = None
        self.read_at = 0.0

    def current(self) -> Version | None:
        """The version, if nothing was announced since it was read; None means: ask Redis."""
        if self.pid != os.getpid():
            self._start()
        version = self.version
        if not self.listening or time.monotonic() - self.read_at > self.TRUST_SECONDS:
            return None
        return version

    def heard(self) -> int:
        return self.announcements

    def remember(self, version: Version, heard: int) -> None:
        """Trust `version`, read after `heard()` said `heard`, unless news arrived meanwhile."""
        with self.lock:
            if self.listening and self.announcements == heard:
                self.version, self.read_at = version, time.monotonic()

    def stop(self) -> None:
        """End this process's subscription (tests; a process otherwise keeps it until it exits)."""
        self.stopped.set()
        self.__init__()

    def _start(self) -> None:
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid, self.listening, self.version = os.getpid(), False, None
        if not settings.REDIS_URL:  # a shared cache without announcements: always ask it
            return
        listen = partial(self._listen, _redis(), _channel(), self.stopped)
        threading.Thread(target=listen, name="content-version", daemon=True).start()

    def _listen(self, client, channel: str, stopped: threading.Event) -> None:
        while not stopped.is_set():
            try:
                with client.pubsub() as pubsub:
                    pubsub.subscribe(channel)
                    while not stopped.is_set():
                        self._hear(pubsub.get_message(timeout=1.0), stopped)
            except Exception as exc:
                if not stopped.is_set():  # one line: Redis down is an expected, repeated state
                    logger.warning("version announcements unavailable; asking Redis: %r", exc)
            if stopped.is_set():
                return
            self._lost()
            stopped.wait(self.RETRY_SECONDS)

    def _hear(self, message: dict | None, stopped: threading.Event) -> None:
        if message is None or stopped.is_set():
            return
        if message["type"] == "subscribe":
            self.listening = True
        elif message["type"] == "message":
            self.news()

    def news(self) -> None:
        """A new version exists: the next request asks Redis."""
        with self.lock:
            self.announcements += 1
            self.version = None

    def _lost(self) -> None:
        with self.lock:
            self.announcements += 1
            self.version, self.listening = None, False


_watcher = _Watcher()
_clients: dict[int, object] = {}


def _redis():
    """One Redis client per process, from REDIS_URL, for announcements."""
    import redis

    pid = os.getpid()
    if pid not in _clients:
        timeout = settings.REDIS_TIMEOUT_SECONDS
        _clients[pid] = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
        )
    return _clients[pid]


def _channel() -> str:
    return cache.make_key(CACHE_KEY)
