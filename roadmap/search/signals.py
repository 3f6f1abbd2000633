"""Rebuild the search index when an admin (or anyone using the ORM) changes catalogue content.

The loader writes in bulk, which sends no signals; it schedules its own rebuild.
"""

from .index import search_index_schedule


def search_index_rebuild_on_change(**kwargs) -> None:
    """Receiver for every ORM change of catalogue content (connected in apps.py)."""
    if kwargs.get("raw"):  # loaddata: the rows may not be consistent yet
        return
    search_index_schedule()
