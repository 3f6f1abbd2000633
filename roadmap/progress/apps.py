from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """A learner's ticks and notes, kept with the browser session: no account needed."""

    name = "roadmap.progress"
    label = "progress"
    verbose_name = "learner progress"
