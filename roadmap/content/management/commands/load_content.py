import getpass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.errors import ContentInvalid
from roadmap.content.loader import AdminEditsFound, content_load


class Command(BaseCommand):
    help = "Validate content/ and load it into the database in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
        parser.add_argument(
            "--discard-admin-edits",
            action="store_true",
            help="overwrite fields that admins changed since the last load with the files' values",
        )

    def handle(self, *args, dry_run: bool, discard_admin_edits: bool, **options):
        try:
            plan = content_load(
                root=settings.CONTENT_DIR,
                actor=f"load_content ({getpass.getuser()})",
                dry_run=dry_run,
                discard_admin_edits=discard_admin_edits,
            )
        except ContentInvalid as exc:
            for error in exc.errors:
                self.stdout.write(str(error))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was loaded.") from None
        except AdminEditsFound as exc:
            self.stdout.write("These rows were changed in admin since the last load:")
            for edit in exc.edits:
                self.stdout.write(f"  {edit}")
            raise CommandError(
                "Nothing was loaded, so those edits are safe. Either run "
                "`python manage.py export_content` to write them into content/ (then commit them "
                "in a pull request), or run `python manage.py load_content --discard-admin-edits` "
                "to replace them with what the files say."
            ) from None
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(prefix + plan.summary())
        for line in plan.details():
            self.stdout.write(line)
        if plan.admin_edits:
            self.stdout.write(f"Discarded {len(plan.admin_edits)} admin edit(s).")
