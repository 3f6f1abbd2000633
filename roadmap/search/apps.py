from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search over a derived index of the visible catalogue."""

    name = "roadmap.search"
    label = "search"

    def ready(self) -> None:
        from .signals import connect_catalog_signals

        connect_catalog_signals()
