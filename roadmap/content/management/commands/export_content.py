from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from roadmap.content.errors import display_path
from roadmap.content.exporter import content_export


class Command(BaseCommand):
    help = "Write the database back into the content files (admin edits become a pull request)."

    def add_arguments(self, parser):
        parser.add_argument(
            "target", nargs="?", type=Path, help="directory to write (default: content/ itself)"
        )

    def handle(self, *args, target: Path | None, **options):
        source = Path(settings.CONTENT_DIR)
        result = content_export(source=source, target=target or source)
        for path in result.written:
            self.stdout.write(f"wrote {display_path(path)}")
        for path in result.removed:
            self.stdout.write(f"removed {display_path(path)} (no live rows left)")
        self.stdout.write(
            f"{len(result.written)} written, {len(result.removed)} removed, "
            f"{result.unchanged} unchanged. Review with `git diff content/`, then open a pull "
            "request and run `python manage.py load_content`."
        )
