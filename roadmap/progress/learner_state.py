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
from typing import NamedTuple

from django.contrib.sessions.backends.base import SessionBase

STAMP_KEY = "progress_stamp"
FRESH_SECONDS = 10
ENTRIES = 2000  # learners kept per process before it starts over
NOTES_KEPT = 16_384  # characters: a learner with more note text than this is read every time


class LearnerState(NamedTuple):
    ticks: frozenset[str]  # the ids of every item they ticked
    notes: dict[str, str]  # note text by the stage's content id
    last: str  # the content id of the level they were last on ("" if none recorded)


# (learner id, session stamp) -> (when it was read, what was read)
_kept: dict[tuple[uuid.UUID, str], tuple[float, LearnerState]] = {}


def learner_state_get(
    *, session: SessionBase, learner_id: uuid.UUID, read: Callable[[], LearnerState]
) -> LearnerState:
    """The learner's state: this process's copy if their session has not changed it since and
    it is fresh, else `read()` (and kept)."""
    key = (learner_id, session.get(STAMP_KEY, ""))
    now = time.monotonic()
    found = _kept.get(key)
    if found is not None and now - found[0] < FRESH_SECONDS:
        return found[1]
    state = read()
    if sum(map(len, state.notes.values())) <= NOTES_KEPT:
        if len(_kept) >= ENTRIES:
            _kept.clear()
        _kept[key] = (now, state)
    return state


def learner_state_changed(*, session: SessionBase) -> None:
    """Their progress was just written: no process may answer from what it kept before."""
    session[STAMP_KEY] = secrets.token_hex(8)
