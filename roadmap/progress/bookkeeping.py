"""Writes a page view makes on the side: where the learner is, when they were last seen.

They are worth having, never worth the page: when the database refuses writes (read-only, disk
full) the learner still gets the page they asked for, and the write is tried again next time.
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError, transaction

logger = logging.getLogger("roadmap.progress")


def page_view_write(write: Callable[[], object]) -> bool:
    """Run `write` in a savepoint of its own; False (and a warning) if the database refused it."""
    try:
        with transaction.atomic():
            write()
    except DatabaseError as exc:
        logger.warning("page view not recorded: %s", f"{type(exc).__name__}: {exc}".strip())
        return False
    return True
