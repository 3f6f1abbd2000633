from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.errors import display_path
from roadmap.content.fixer import content_fix
from roadmap.content.management.paths import content_root_and_file


class Command(BaseCommand):
    help = "Write missing ids and schema lines into the content files, keeping everything else."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="content directory, or one file in it (default: content/)",
        )

    def handle(self, *args, path: Path | None, **options):
        root, only = content_root_and_file(path)
        if only is None and not root.is_dir():
            raise CommandError(f"{display_path(root)}: no such file or directory", returncode=1)
        result = content_fix(root=root, only=only)
        for file, count in result.changed.items():
            self.stdout.write(f"{display_path(file)}: {count} fix(es)")
        for error in result.errors:
            self.stdout.write(str(error))
        self.stdout.write(
            f"{sum(result.changed.values())} fix(es) in {len(result.changed)} file(s)"
        )
        if result.errors:
            raise CommandError(
                f"{len(result.errors)} file(s) could not be read and were left as they are",
                returncode=1,
            )
