from django.conf import settings
from django.core.management.base import BaseCommand

from roadmap.progress.services import learner_prune, learner_prune_cutoff


class Command(BaseCommand):
    help = (
        "Delete the progress of learners nobody has written to for longer than a session lives "
        "(SESSION_COOKIE_AGE): their session, and so their way back to it, has expired."
    )

    def handle(self, *args, **options):
        cutoff = learner_prune_cutoff(session_age_seconds=settings.SESSION_COOKIE_AGE)
        deleted = learner_prune(unchanged_since=cutoff)
        self.stdout.write(
            f"Deleted the progress of {deleted} learner(s) unchanged since {cutoff:%Y-%m-%d}."
        )
