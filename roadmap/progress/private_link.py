"""A learner's private link: their progress on another browser, without an account.

The link carries a long random token (256 bits from `secrets`); the database keeps only its
SHA-256 digest, so the link is shown once, when it is made. Opening it attaches the opening
browser's session to the same learner. Making a new link replaces the old one; revoking deletes
it; a reset deletes the learner and the link with it.
"""

import hashlib
import re
import secrets
import uuid

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from .models import Learner, Note, PrivateLink, Tick
from .selectors import SESSION_KEY, learner_id_get

TOKEN_BYTES = 32
# What `token_urlsafe(32)` makes (43 characters); anything else cannot be a link of ours.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
PENDING_KEY = "progress_pending_link"  # the digest of a link opened but not yet confirmed


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def private_link_get(*, learner_id: uuid.UUID | None) -> PrivateLink | None:
    if learner_id is None:
        return None
    return PrivateLink.objects.filter(learner_id=learner_id).first()


def private_link_create(*, learner_id: uuid.UUID) -> str:
    """A new token for the learner, replacing any link they had; returns the token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    fields = {"token_digest": _digest(token), "created_at": timezone.now()}
    PrivateLink.objects.update_or_create(learner_id=learner_id, defaults=fields)
    return token


def private_link_revoke(*, learner_id: uuid.UUID | None) -> bool:
    """Delete the learner's link; whether there was one."""
    if learner_id is None:
        return False
    deleted, _ = PrivateLink.objects.filter(learner_id=learner_id).delete()
    return bool(deleted)


def private_link_hold(*, session: SessionBase, token: str) -> bool:
    """Remember in `session` which link was opened, for the confirmation that follows; False
    (and nothing remembered) if no link has this token. Only the digest is kept."""
    if not TOKEN_SHAPE.fullmatch(token):
        return False
    digest = _digest(token)
    if not PrivateLink.objects.filter(token_digest=digest).exists():
        return False
    session[PENDING_KEY] = digest
    return True


def private_link_pending(*, session: SessionBase) -> PrivateLink | None:
    """The link this browser opened and has not confirmed yet, if it still works."""
    digest = session.get(PENDING_KEY)
    if not isinstance(digest, str):
        return None
    return PrivateLink.objects.filter(token_digest=digest).first()


def private_link_attach(*, session: SessionBase) -> bool:
    """Attach `session` to the learner of the link it holds; False if it holds none that works.

    Progress this browser had of its own is added to the link's (ticks added, a note kept only
    where the link's learner has none), so opening the link never loses anything. The session
    gets a new key, as after any sign-in.
    """
    link = private_link_pending(session=session)
    session.pop(PENDING_KEY, None)
    if link is None:
        return False
    own = learner_id_get(session=session)
    with transaction.atomic():
        if own is not None and own != link.learner_id:
            _merge(source=own, target=link.learner_id)
        session.cycle_key()
        session[SESSION_KEY] = str(link.learner_id)
        session.modified = True
    return True


def _merge(*, source: uuid.UUID, target: uuid.UUID) -> None:
    ticks = Tick.objects.filter(learner_id=source)
    Tick.objects.bulk_create(
        [Tick(learner_id=target, item_id=t.item_id, ticked_at=t.ticked_at) for t in ticks],
        ignore_conflicts=True,
    )
    noted = set(Note.objects.filter(learner_id=target).values_list("stage_id", flat=True))
    Note.objects.bulk_create(
        [
            Note(learner_id=target, stage_id=n.stage_id, text=n.text, updated_at=n.updated_at)
            for n in Note.objects.filter(learner_id=source)
            if n.stage_id not in noted
        ]
    )
    Learner.objects.filter(pk=source).delete()
