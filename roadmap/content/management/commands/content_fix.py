from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from roadmap.content.errors import display_path
from roadmap.content.fixer import content_fix


class Command(BaseCommand):
    help = "Write missing ids and schema lines into the content files, keeping everything else."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, help="content directory (default: content/)"
        )

    def handle(self, *args, path: Path | None, **options):
        changed = content_fix(root=path or settings.CONTENT_DIR)
        for file, count in changed.items():
            self.stdout.write(f"{display_path(file)}: {count} fix(es)")
        self.stdout.write(f"{sum(changed.values())} fix(es) in {len(changed)} file(s)")
