from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Reading, validating, loading and exporting the editors' files in content/."""

    name = "roadmap.content"
    label = "content"
