from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.spelling import british_spellings
from roadmap.content.tree import read_tree


class Command(BaseCommand):
    help = "Flag common British spellings in the content (the editor guide uses US English)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, help="content directory (default: content/)"
        )

    def handle(self, *args, path: Path | None, **options):
        tree = read_tree(Path(path or settings.CONTENT_DIR))
        if tree.errors:
            raise CommandError("content has errors; run `python manage.py validate_content`")
        problems = british_spellings(tree)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} British spelling(s); see content/README.md")
        self.stdout.write("spelling OK: US English throughout")
