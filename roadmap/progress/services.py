"""Writes to a learner's progress. A learner row is created on the first write, not on a visit,
so reading the site leaves nothing behind.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from roadmap.catalog.models import Stage, StageItem

from .exchange import ProgressFile
from .models import Learner, Note, Tick
from .selectors import SESSION_KEY, learner_id_get


def learner_get_or_create(*, session: SessionBase, stage: Stage | None = None) -> uuid.UUID:
    """The session's learner, created on first use. Every write calls this, which also marks the
    session changed, so its expiry (and the cookie's) starts again from today. `stage`: the level
    the write is on, which becomes where the learner left off."""
    learner_id = learner_id_get(session=session)
    where = {"last_stage_id": stage.content_id} if stage is not None else {}
    if learner_id is None or not Learner.objects.filter(pk=learner_id).exists():
        learner_id = Learner.objects.create(**where).pk
        session[SESSION_KEY] = str(learner_id)
    else:
        Learner.objects.filter(pk=learner_id).update(changed_at=timezone.now(), **where)
    session.modified = True
    return learner_id


def tick_set(*, learner_id: uuid.UUID, item: StageItem, done: bool) -> None:
    """Tick or untick an item; doing either twice changes nothing more."""
    if done:
        Tick.objects.get_or_create(learner_id=learner_id, item_id=item.content_id)
    else:
        Tick.objects.filter(learner_id=learner_id, item_id=item.content_id).delete()


def ticks_set(*, learner_id: uuid.UUID, items: list[StageItem], done: set[str]) -> None:
    """Set a whole section's boxes at once: the items whose ids are in `done` ticked, the others
    unticked (ticks already there keep their date)."""
    ticked = [item.content_id for item in items if item.content_id in done]
    unticked = [item.content_id for item in items if item.content_id not in done]
    Tick.objects.filter(learner_id=learner_id, item_id__in=unticked).delete()
    Tick.objects.bulk_create(
        [Tick(learner_id=learner_id, item_id=item_id) for item_id in ticked],
        ignore_conflicts=True,
    )


def note_save(*, learner_id: uuid.UUID, stage: Stage, text: str) -> None:
    """Save the learner's note on a level; an empty note removes it."""
    if not text.strip():
        Note.objects.filter(learner_id=learner_id, stage_id=stage.content_id).delete()
        return
    Note.objects.update_or_create(
        learner_id=learner_id,
        stage_id=stage.content_id,
        defaults={"text": text, "updated_at": timezone.now()},
    )


def progress_reset(*, session: SessionBase) -> None:
    """Delete the learner's ticks and notes, and forget the learner."""
    learner_id = learner_id_get(session=session)
    if learner_id is not None:
        Learner.objects.filter(pk=learner_id).delete()
    session.pop(SESSION_KEY, None)


@dataclass(frozen=True)
class ImportResult:
    ticks: int  # ticks in the file that this site knows
    notes: int
    skipped: int  # ticks and notes whose item or level this site has never had


def progress_import(*, learner_id: uuid.UUID, progress: ProgressFile) -> ImportResult:
    """Merge a parsed progress file into the learner's progress, in one transaction.

    Ticks are added (existing ones keep their date), a note replaces the learner's note on the
    same level. Ids this site has never had are skipped; ids of retired items are kept, like
    every other tick on a retired item.
    """
    tick_dates = {t.id: t.ticked_at for t in progress.ticks}
    notes = {n.stage: n for n in progress.notes}
    known_items = set(
        StageItem.objects.filter(content_id__in=tick_dates).values_list("content_id", flat=True)
    )
    known_stages = set(
        Stage.objects.filter(content_id__in=notes).values_list("content_id", flat=True)
    )
    now = timezone.now()
    with transaction.atomic():
        Tick.objects.bulk_create(
            [
                Tick(learner_id=learner_id, item_id=item_id, ticked_at=tick_dates[item_id] or now)
                for item_id in sorted(known_items)
            ],
            ignore_conflicts=True,
        )
        Note.objects.filter(learner_id=learner_id, stage_id__in=known_stages).delete()
        Note.objects.bulk_create(
            [
                Note(
                    learner_id=learner_id,
                    stage_id=stage_id,
                    text=_normalise(notes[stage_id].text),
                    updated_at=notes[stage_id].updated_at or now,
                )
                for stage_id in sorted(known_stages)
                if notes[stage_id].text.strip()
            ]
        )
    skipped = len(tick_dates) - len(known_items) + len(notes) - len(known_stages)
    return ImportResult(ticks=len(known_items), notes=len(known_stages), skipped=skipped)


def learner_prune(*, unchanged_since: datetime) -> int:
    """Delete learners (with their ticks and notes) that nobody has written to since then."""
    deleted, by_model = Learner.objects.filter(changed_at__lt=unchanged_since).delete()
    return by_model.get(Learner._meta.label, 0)


def learner_prune_cutoff(*, session_age_seconds: int) -> datetime:
    """A learner untouched for longer than a session lives has no session left to reach it."""
    return timezone.now() - timedelta(seconds=session_age_seconds)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
