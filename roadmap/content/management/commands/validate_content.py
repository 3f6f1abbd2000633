from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.errors import display_path, github_annotation, markdown_summary
from roadmap.content.management.paths import content_root_and_file
from roadmap.content.tree import read_tree


class Command(BaseCommand):
    help = (
        "Check every content file and print every error as path:line: field: message "
        "(and warnings, which do not fail the check)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="content directory, or one file in it (default: content/)",
        )
        parser.add_argument(
            "--format",
            choices=["text", "github"],
            default="text",
            help="github: GitHub Actions annotations (`::error file=…,line=…::…`)",
        )
        parser.add_argument(
            "--summary",
            type=Path,
            help="also append the errors and warnings as Markdown to this file "
            "(in a workflow: $GITHUB_STEP_SUMMARY)",
        )

    def handle(self, *args, path: Path | None, format: str, summary: Path | None, **options):
        root, file = content_root_and_file(path)
        only = display_path(file) if file else None
        tree = read_tree(root)
        errors = [e for e in tree.errors if only is None or e.path == only]
        warnings = [w for w in tree.warnings if only is None or w.path == only]
        for error in errors:
            self.stdout.write(github_annotation(error) if format == "github" else str(error))
        for warning in warnings:
            self.stdout.write(
                github_annotation(warning, "warning")
                if format == "github"
                else f"warning: {warning}"
            )
        if summary:
            with summary.open("a", encoding="utf-8") as out:
                out.write(markdown_summary(errors, warnings))
        if errors:
            files = len({error.path for error in errors})
            raise CommandError(
                f"{len(errors)} error(s) in {files} file(s); fix them and run validate_content "
                "again (content/README.md lists every message with its fix)",
                returncode=1,
            )
        if only is not None:
            self.stdout.write(f"{only} OK, 0 errors" + _and_warnings(warnings))
            return
        stages = sum(len(levels) for levels in tree.stages.values())
        self.stdout.write(
            f"content OK: {len(tree.documents)} files, {len(tree.tracks)} tracks, {stages} stages, "
            "0 errors" + _and_warnings(warnings)
        )


def _and_warnings(warnings: list) -> str:
    return f", {len(warnings)} warning(s)" if warnings else ""
