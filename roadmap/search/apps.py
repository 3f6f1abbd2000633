from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search over a derived index of the visible catalogue."""

    name = "roadmap.search"
    label = "search"

    def ready(self) -> None:
        from roadmap.catalog.signals import catalog_changes_connect
        from roadmap.content.signals import content_loaded

        from .signals import search_index_rebuild_after_load, search_index_rebuild_on_change

        catalog_changes_connect(search_index_rebuild_on_change, name="search-index")
        content_loaded.connect(search_index_rebuild_after_load, dispatch_uid="search-index")
