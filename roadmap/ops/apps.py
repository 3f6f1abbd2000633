from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "roadmap.ops"
    label = "ops"
    verbose_name = "operations"

    def ready(self) -> None:
        from .content_version import connect_catalog_signals
        from .logging import logging_skip_unused_record_fields

        connect_catalog_signals()
        logging_skip_unused_record_fields()
