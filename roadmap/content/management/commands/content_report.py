from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.report import SECTIONS, content_report
from roadmap.content.tree import read_tree


class Command(BaseCommand):
    help = "Count the items in every section of every stage and flag empty sections."

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="exit 1 if anything is missing")

    def handle(self, *args, strict: bool, **options):
        tree = read_tree(settings.CONTENT_DIR)
        if tree.errors:
            raise CommandError("content has errors; run `python manage.py validate_content`")
        report = content_report(tree)
        header = f"{'stage':<22}" + "".join(f"{s:>13}" for s in SECTIONS)
        self.stdout.write(header)
        for stage in report.stages:
            cells = "".join(f"{(str(n) if n else '0 !'):>13}" for n in stage.counts.values())
            self.stdout.write(f"{stage.track + '/' + stage.level:<22}{cells}")
        self.stdout.write(f"{'total':<22}" + "".join(f"{n:>13}" for n in report.totals.values()))
        self.stdout.write(
            ", ".join(f"{count} {plural}" for plural, count in report.counts.items() if count)
        )
        for problem in report.problems:
            self.stdout.write(f"MISSING {problem}")
        for warning in report.warnings:
            self.stdout.write(f"WARNING {warning}")
        for problem in report.quality:
            self.stdout.write(f"QUALITY {problem}")
        if (report.problems or report.quality) and strict:
            raise CommandError(
                f"{len(report.problems)} missing section(s), "
                f"{len(report.quality)} quality problem(s) (see content/README.md)"
            )
        if not report.problems:
            self.stdout.write("every stage has every section")
