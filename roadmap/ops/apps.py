from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "roadmap.ops"
    label = "ops"
    verbose_name = "operations"

    def ready(self) -> None:
        from .content_version import connect_catalog_signals

        connect_catalog_signals()
