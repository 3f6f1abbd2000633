"""Rebuild the search index when an admin (or anyone using the ORM) changes catalogue rows.

The loader writes in bulk, which sends no signals; it schedules its own rebuild.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from .index import search_index_schedule

# Catalog models that are records about the content rather than content a search can find.
NOT_CONTENT = {"contentload"}


def connect_catalog_signals() -> None:
    for model in apps.get_app_config("catalog").get_models():
        if model._meta.model_name in NOT_CONTENT:
            continue
        uid = f"search-index:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)


def _changed(**kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: the rows may not be consistent yet
        return
    search_index_schedule()
