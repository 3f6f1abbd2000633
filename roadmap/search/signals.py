"""Rebuild the search index when an admin (or anyone using the ORM) changes catalogue content.

The loader writes in bulk, which sends no model signals; it announces each load with
`content_loaded` instead.
"""

from roadmap.ops.content_version import content_version_announce, content_version_bump

from . import index
from .index import search_index_schedule


def search_index_rebuild_on_change(**kwargs) -> None:
    """Receiver for every ORM change of catalogue content (connected in apps.py)."""
    if kwargs.get("raw"):  # loaddata: the rows may not be consistent yet
        return
    search_index_schedule()


def search_index_rebuild_after_load(plan, **kwargs) -> None:
    """Receiver of `content_loaded`, inside the load's transaction: rebuild the index, then bump
    the content version.

    The order matters. The version makes the new pages visible (and retires cached searches), so
    the index must already hold the new content when it changes; and both commit with the load,
    so a load killed at any point leaves neither half done. A load that changes nothing still
    rebuilds an index that is empty or older than the content (a load killed between its commit
    and a rebuild, before this order existed), then bumps the version so no search cached from
    the stale index survives.
    """
    if plan.dry_run:
        return
    if plan.changed or plan.admin_edits or index.search_index_stale():
        index.search_index_rebuild()
        content_version_bump()  # every instance drops its cached pages on commit
    else:
        content_version_announce()  # in case the last load died before announcing its version
