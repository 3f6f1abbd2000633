"""When catalogue content changes through the ORM: admin saves and deletes, inlines, shell fixes.

The page cache's content version and the search index both follow these changes. The loader
writes in bulk, which sends no signals, so it bumps the version and schedules the rebuild itself.
"""

from collections.abc import Callable

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

# Catalog models that are records about the content rather than content the site shows.
NOT_CONTENT = {"contentload", "admindeletion"}


def catalog_changes_connect(receiver: Callable[..., None], *, name: str) -> None:
    """Call `receiver(**signal_arguments)` after every save or delete of catalogue content and
    every change to its many-to-many links; `name` keeps the connections unique."""

    def after_link_change(action: str, **kwargs) -> None:
        if action.startswith("post_"):
            receiver(action=action, **kwargs)

    for model in apps.get_app_config("catalog").get_models():
        if model._meta.model_name in NOT_CONTENT:
            continue
        uid = f"{name}:{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            # weak=False: the closure above has no other reference to keep it alive.
            m2m_changed.connect(after_link_change, sender=through, dispatch_uid=uid, weak=False)
