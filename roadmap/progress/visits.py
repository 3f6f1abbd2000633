""" "Since your last visit": when a learner's visit starts, and what content loads changed since.

A visit is a run of page views with no gap longer than VISIT_GAP. `Learner.last_seen_at` is the
last page view (written at most once a minute), `Learner.changes_since` the end of the previous
visit: what changed after it is news for the whole of this visit, not only its first page.
Visitors without progress have no learner row and see nothing of it.
"""

import uuid
from datetime import UTC, datetime, timedelta
from functools import partial

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Case, Exists, F, OuterRef, Subquery, When

from roadmap.catalog.models import ContentChange, Track
from roadmap.changes.words import ChangeLine, change_lines, ticked_lines
from roadmap.ops.content_version import content_version_get

from . import learner_state
from .bookkeeping import page_view_write
from .models import Learner, Tick

VISIT_GAP = timedelta(minutes=30)
SEEN_EVERY = timedelta(minutes=1)  # how stale `last_seen_at` may get: spares a write per page
SESSION_COPY = "progress_visit"  # [last_seen_at, changes_since, last load] as Unix times


def learner_visit_record(*, learner_id: uuid.UUID, now: datetime) -> None:
    """Note a page view, starting a new visit after a gap. One UPDATE (SQL's SET reads the row's
    old values, so `changes_since` takes the `last_seen_at` from before this view)."""
    Learner.objects.filter(pk=learner_id, last_seen_at__lt=now - SEEN_EVERY).update(
        changes_since=Case(
            When(last_seen_at__lt=now - VISIT_GAP, then=F("last_seen_at")),
            default=F("changes_since"),
        ),
        last_seen_at=now,
    )


def news_since_get(
    *, session: SessionBase, learner_id: uuid.UUID, now: datetime
) -> datetime | None:
    """Where this visit's news starts (`Learner.changes_since`), if a content load changed
    something since then; None when nothing did (or the learner no longer exists). Notes the
    page view.

    The session keeps a copy of the learner's two times and of the last load that changed
    something, so a page costs no query for them; once a minute the view is written to the
    learner row and the copy read again (two queries, and the session's own save). A load is
    therefore news at most a minute after it ran.
    """
    copy = session.get(SESSION_COPY)
    if isinstance(copy, list) and len(copy) == 3 and all(isinstance(t, float) for t in copy):
        seen, since, last_load = (datetime.fromtimestamp(t, UTC) for t in copy)
        if timedelta(0) <= now - seen < SEEN_EVERY:
            return since if last_load > since else None
    if not page_view_write(lambda: learner_visit_record(learner_id=learner_id, now=now)):
        return None  # the session's copy stays as it was: the next page tries again
    last_load = ContentChange.objects.order_by("-load__started_at").values("load__started_at")
    found = (
        Learner.objects.filter(pk=learner_id)
        .annotate(last_load=Subquery(last_load[:1]))
        .values_list("last_seen_at", "changes_since", "last_load")
        .first()
    )
    if found is None:
        session.pop(SESSION_COPY, None)
        return None
    seen, since, last_load = found
    last_load = last_load or since  # no load has changed anything yet
    session[SESSION_COPY] = [seen.timestamp(), since.timestamp(), last_load.timestamp()]
    return since if last_load > since else None


# (learner, their session's stamp, track, since, content version) -> the lines: home and track
# pages show them on every page of a visit, and after a large load they come from thousands of
# changes. Kept as learners' ticks are (learner_state.py), for as long.
_kept = learner_state.KeptForLearners()


def changes_since_last_visit(
    *, session: SessionBase, learner_id: uuid.UUID, track: Track, since: datetime
) -> list[ChangeLine]:
    """What loads changed in `track` after `since`, in plain words (see `_changes_since`); the
    same lines as a moment ago while neither the content nor the learner's ticks changed."""
    stamp = learner_state.stamp_of(session)
    key = (learner_id, stamp, track.pk, since, content_version_get().token)
    read = partial(_changes_since, learner_id=learner_id, track=track, since=since)
    return _kept.get(key, read)


def _changes_since(*, learner_id: uuid.UUID, track: Track, since: datetime) -> list[ChangeLine]:
    """What loads changed in `track` after `since`, in plain words: what was added, then what
    happened to items the learner ticked. One query."""
    ticks = Tick.objects.filter(learner_id=learner_id, item_id=OuterRef("content_id"))
    changes = list(
        ContentChange.objects.filter(track_content_id=track.content_id, load__started_at__gt=since)
        .annotate(ticked=Exists(ticks))
        .order_by("load__started_at", "pk")
    )
    latest = {}  # an item changed by several loads counts once: new if it is new to them
    for change in changes:
        key = change.model, change.content_id
        if key not in latest or latest[key].action != "added":
            latest[key] = change
    changes = list(latest.values())
    added = [c for c in changes if c.action == "added" and c.model in ("stage", "stage item")]
    added = [c for c in added if c.item_kind in ("", "ready_when", "project")]
    return change_lines(added) + ticked_lines(c for c in changes if c.ticked)
