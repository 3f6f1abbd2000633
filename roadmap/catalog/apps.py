from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The learning path as the site serves it: tracks, stages, items, courses, guides."""

    name = "roadmap.catalog"
    label = "catalog"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from .models import FileOwned, admin_deletion_record

        for model in self.get_models():
            if issubclass(model, FileOwned):
                post_delete.connect(admin_deletion_record, sender=model, dispatch_uid="deletion")
