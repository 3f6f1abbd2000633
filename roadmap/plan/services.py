"""Writes for /plan/: the learner's pace, kept with their progress."""

import uuid

from django.utils import timezone

from roadmap.progress.models import Learner


def pace_remember(*, learner_id: uuid.UUID, hours: int) -> None:
    """Keep the learner's hours a week; a learner whose row is gone gets nothing (no new row)."""
    Learner.objects.filter(pk=learner_id).exclude(hours_per_week=hours).update(
        hours_per_week=hours, changed_at=timezone.now()
    )
