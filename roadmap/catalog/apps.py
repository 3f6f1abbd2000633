from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The learning path as the site serves it: tracks, stages, items, courses, guides."""

    name = "roadmap.catalog"
    label = "catalog"
