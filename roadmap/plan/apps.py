from django.apps import AppConfig


class PlanConfig(AppConfig):
    """/plan/: the pace calculator and the plan for this week."""

    name = "roadmap.plan"
    label = "plan"
    verbose_name = "pace and week plan"
