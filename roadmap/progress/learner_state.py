"""A learner's ticks, notes and last level, kept by each process while they have not changed.

Every page a learner opens needs them, and reading them was the one query (with the connection's
health check, two round trips) that made a learner's page several times a stranger's. Each
write to a learner's progress gives their session a new stamp (`learner_state_changed`: every
write in progress/views.py goes through `_all_or_nothing`, which calls it; so does opening
another level). This process keeps what it read under (learner, stamp), so the next page of a
session whose stamp is unchanged reads no database, on whichever process serves it.

A private link's other device writes under another session, whose stamp this one never sees: a
kept copy is therefore trusted for FRESH_SECONDS at most, which is how long a tick made on a
phone may take to show on the laptop's next page (the laptop's own ticks show at once).
"""

import secrets
import time
import uuid
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from django.contrib.sessions.backends.base import SessionBase

T = TypeVar("T")
STAMP_KEY = "progress_stamp"
FRESH_SECONDS = 10
ENTRIES = 2000  # learners kept per process before it starts over
NOTES_KEPT = 16_384  # characters: a learner with more note text than this is read every time


class LearnerState(NamedTuple):
    ticks: frozenset[str]  # the ids of every item they ticked
    notes: dict[str, str]  # note text by the stage's content id
    last: str  # the content id of the level they were last on ("" if none recorded)


class KeptForLearners:
    """Values read for learners, kept by this process under keys that hold the learner's
    session stamp (`stamp_of`), so any write of theirs retires them, for FRESH_SECONDS at most."""

    def __init__(self):
        self._values: dict[tuple, tuple[float, object]] = {}  # key -> (when read, value)

    def get(
        self, key: tuple, read: Callable[[], T], *, keep: Callable[[T], bool] | None = None
    ) -> T:
        """The value kept under `key` if fresh, else `read()` (kept unless `keep` says no)."""
        now = time.monotonic()
        found = self._values.get(key)
        if found is not None and now - found[0] < FRESH_SECONDS:
            return found[1]
        value = read()
        if keep is None or keep(value):
            if len(self._values) >= ENTRIES:
                self._values.clear()
            self._values[key] = (now, value)
        return value

    def clear(self) -> None:
        self._values.clear()


def stamp_of(session: SessionBase) -> str:
    return session.get(STAMP_KEY, "")


_kept = KeptForLearners()


def learner_state_get(
    *, session: SessionBase, learner_id: uuid.UUID, read: Callable[[], LearnerState]
) -> LearnerState:
    """The learner's state: this process's copy if their session has not changed it since and
    it is fresh, else `read()` (and kept)."""
    return _kept.get((learner_id, stamp_of(session)), read, keep=_small_enough)


def _small_enough(state: LearnerState) -> bool:
    return sum(map(len, state.notes.values())) <= NOTES_KEPT


def learner_state_changed(*, session: SessionBase) -> None:
    """Their progress was just written: no process may answer from what it kept before."""
    session[STAMP_KEY] = secrets.token_hex(8)
