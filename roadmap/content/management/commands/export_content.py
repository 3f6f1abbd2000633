from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.exporter import (
    RESOLVE,
    ExportConflicts,
    ExportUnreadable,
    content_export,
)


class Command(BaseCommand):
    help = (
        "Write what admins changed since the last load into content/, field by field, keeping "
        "every change already made in the files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retire-deleted",
            action="store_true",
            help="also remove rows deleted in admin from the files (never deletes a file)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be written, write nothing"
        )

    def handle(self, *args, retire_deleted: bool, dry_run: bool, **options):
        try:
            plan = content_export(
                root=settings.CONTENT_DIR, retire_deleted=retire_deleted, write=not dry_run
            )
        except ExportUnreadable as exc:
            raise CommandError(f"{exc} Nothing was written.") from None
        except ExportConflicts as exc:
            self.stdout.write("Admin and the files both changed these fields since the last load:")
            for conflict in exc.plan.conflicts:
                self.stdout.write(f"  {conflict}")
            raise CommandError(RESOLVE) from None
        for change in plan.changes:
            self.stdout.write(f"{'would write' if dry_run else 'wrote'} {change}")
        for note in plan.notes:
            self.stdout.write(f"note: {note}")
        if not plan.changes:
            self.stdout.write("Nothing to export: the files already hold every admin edit.")
        elif not dry_run:
            self.stdout.write(
                f"{len(plan.written)} file(s) written. Review with `git diff content/`, open a "
                "pull request, and run `python manage.py load_content` once it is merged."
            )
