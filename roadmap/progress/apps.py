from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """A learner's ticks and notes, kept with the browser session: no account needed."""

    name = "roadmap.progress"
    label = "progress"
    verbose_name = "learner progress"

    def ready(self) -> None:
        from roadmap.content.signals import content_load_planned

        from .selectors import tick_learner_count_for_plan

        content_load_planned.connect(tick_learner_count_for_plan, dispatch_uid="progress")
