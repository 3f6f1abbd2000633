"""Rebuild the search index when an admin (or anyone using the ORM) changes catalogue content.

The loader writes in bulk, which sends no model signals; it announces each load with
`content_loaded` instead.
"""

from django.db import transaction

from . import index
from .index import search_index_schedule
from .models import SearchEntry


def search_index_rebuild_on_change(**kwargs) -> None:
    """Receiver for every ORM change of catalogue content (connected in apps.py)."""
    if kwargs.get("raw"):  # loaddata: the rows may not be consistent yet
        return
    search_index_schedule()


def search_index_rebuild_after_load(plan, **kwargs) -> None:
    """Receiver of `content_loaded`: rebuild after a change, or when a deploy left it empty."""
    if plan.changed or plan.admin_edits or not SearchEntry.objects.exists():
        transaction.on_commit(index.search_index_rebuild)  # one load, one transaction, one rebuild
