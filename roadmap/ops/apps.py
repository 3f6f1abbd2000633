from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "roadmap.ops"
    label = "ops"
    verbose_name = "operations"

    def ready(self) -> None:
        from roadmap.catalog.signals import catalog_changes_connect

        from .admin_session import admin_session_connect
        from .content_version import content_version_bump_on_change
        from .logging import logging_skip_unused_record_fields

        catalog_changes_connect(content_version_bump_on_change, name="content-version")
        admin_session_connect()
        logging_skip_unused_record_fields()
