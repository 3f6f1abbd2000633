from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.jsonschema import schema_texts, write_schemas


class Command(BaseCommand):
    help = "Regenerate content/schema/*.json from the validation models (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="exit 1 if any file is stale")

    def handle(self, *args, check: bool, **options):
        directory = settings.CONTENT_DIR / "schema"
        if check:
            stale = [
                name
                for name, text in schema_texts().items()
                if not (directory / name).exists()
                or (directory / name).read_text(encoding="utf-8") != text
            ]
            if stale:
                raise CommandError(
                    f"stale schema: {', '.join(stale)}; run `python manage.py content_schema`"
                )
            self.stdout.write("schema files are up to date")
            return
        changed = write_schemas(directory)
        self.stdout.write(f"{len(changed)} schema file(s) written")
