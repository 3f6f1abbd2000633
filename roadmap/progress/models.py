"""A learner's progress, keyed by the content's stable ids rather than by foreign keys.

Ticks and notes point at `StageItem.content_id` and `Stage.content_id` as plain strings: a content
load that reorders, moves or retires items never cascades into progress, and an item that comes
back keeps its ticks. Counting joins on those ids to the items that are visible now.
"""

import uuid

from django.db import models
from django.utils import timezone

NOTE_MAX_LENGTH = 5000


class Learner(models.Model):
    """One visitor's progress; its id lives in their session, so no account is needed.

    A random UUID rather than a counter: the id never appears in a page, and it stays unguessable
    even if sessions ever move to a backend the visitor can read (signed cookies).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    # The pace they last chose on /plan/ (hours a week); empty until they choose one.
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    # "Since your last visit": the last time a page of theirs was shown, and where the current
    # visit's changes start (the end of the previous visit). See visits.py.
    last_seen_at = models.DateTimeField(default=timezone.now)
    changes_since = models.DateTimeField(default=timezone.now)
    # The level (Stage.content_id) the learner last opened, ticked or wrote on: where "Continue"
    # takes them. Recorded for learners only; a visitor who only reads gets no row at all.
    last_stage_id = models.CharField(max_length=32, blank=True, default="")

    def __str__(self) -> str:
        return str(self.id)


class Tick(models.Model):
    """A "ready when" criterion or a project the learner has ticked."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="ticks")
    item_id = models.CharField(max_length=32, help_text="The ticked StageItem's content_id.")
    ticked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "item_id"], name="tick_learner_item")
        ]

    def __str__(self) -> str:
        return self.item_id


class Note(models.Model):
    """The learner's own plain-text note on one level of one track."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="notes")
    stage_id = models.CharField(max_length=32, help_text="The Stage's content_id.")
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "stage_id"], name="note_learner_stage")
        ]

    def __str__(self) -> str:
        return self.stage_id


class PrivateLink(models.Model):
    """A learner's private link: whoever opens it gets this progress in their browser.

    Only a SHA-256 digest of the token is stored. The token is 256 random bits, so a fast digest
    is enough (nothing to brute-force), and a database leak reveals no working link. One link per
    learner: making a new one replaces the old, and a reset deletes it with the learner.
    """

    learner = models.OneToOneField(Learner, on_delete=models.CASCADE, related_name="private_link")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"private link of {self.learner_id}"
