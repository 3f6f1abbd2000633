import getpass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.errors import ContentInvalid
from roadmap.content.load_report import (
    admin_edits_markdown,
    errors_markdown,
    plan_lines,
    plan_markdown,
)
from roadmap.content.load_lock import LoadBusy
from roadmap.content.loader import AdminEditsFound, content_load


class Command(BaseCommand):
    help = "Validate content/ and load it into the database in one transaction."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what would change (file, kind, id, title, fields), write nothing",
        )
        parser.add_argument(
            "--format",
            choices=["text", "markdown"],
            default="text",
            help="markdown: the plan as a table, e.g. for $GITHUB_STEP_SUMMARY",
        )
        parser.add_argument(
            "--discard-admin-edits",
            action="store_true",
            help="overwrite fields that admins changed since the last load with the files' values",
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="stop at once if another load is running (default: wait for it)",
        )

    def handle(self, *args, dry_run, format, discard_admin_edits, no_wait, **options):
        markdown = format == "markdown"

        def waiting():
            self.stderr.write("Another load_content is running; waiting for it to finish…")

        try:
            plan = content_load(
                root=settings.CONTENT_DIR,
                actor=f"load_content ({getpass.getuser()})",
                dry_run=dry_run,
                discard_admin_edits=discard_admin_edits,
                on_busy=None if no_wait else waiting,
            )
        except LoadBusy as exc:
            raise CommandError(str(exc)) from None
        except ContentInvalid as exc:
            if markdown:
                self.stdout.write(errors_markdown(exc.errors))
            else:
                for error in exc.errors:
                    self.stdout.write(str(error))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was loaded.") from None
        except AdminEditsFound as exc:
            if markdown:
                self.stdout.write(admin_edits_markdown(exc.edits))
            else:
                self.stdout.write("These rows were changed in admin since the last load:")
                for edit in exc.edits:
                    self.stdout.write(f"  {edit}")
            deleted = any("deleted in admin" in edit.fields for edit in exc.edits)
            export = "export_content --retire-deleted" if deleted else "export_content"
            raise CommandError(
                "Nothing was loaded, so those edits are safe. Either run "
                f"`python manage.py {export}` to write them into content/ (then commit them "
                "in a pull request), or run `python manage.py load_content --discard-admin-edits` "
                "to replace them with what the files say."
            ) from None
        if markdown:
            self.stdout.write(plan_markdown(plan))
        else:
            for line in plan_lines(plan):
                self.stdout.write(line)
        if plan.admin_edits:
            self.stdout.write(f"Discarded {len(plan.admin_edits)} admin edit(s).")
