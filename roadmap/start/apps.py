from django.apps import AppConfig


class StartConfig(AppConfig):
    """The /start/ questionnaire that recommends a track and a starting level."""

    name = "roadmap.start"
    label = "start"
