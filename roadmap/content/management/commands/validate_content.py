from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.tree import read_tree


class Command(BaseCommand):
    help = "Check every content file and print every error as path:line: field: message."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, help="content directory (default: content/)"
        )

    def handle(self, *args, path: Path | None, **options):
        tree = read_tree(path or settings.CONTENT_DIR)
        for error in tree.errors:
            self.stdout.write(str(error))
        if tree.errors:
            raise CommandError(f"{len(tree.errors)} error(s); nothing was loaded.", returncode=1)
        tracks = len(tree.tracks)
        stages = sum(len(levels) for levels in tree.stages.values())
        self.stdout.write(
            f"content OK: {len(tree.documents)} files, {tracks} tracks, {stages} stages, 0 errors"
        )
