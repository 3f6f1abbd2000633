"""What a content command was pointed at: the whole tree, or one file inside it."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from roadmap.content.errors import display_path
from roadmap.content.kinds import locate


def content_root_and_file(path: Path | str | None) -> tuple[Path, Path | None]:
    """(the content root, the single file asked for or None); refuses a file outside content/."""
    path = Path(path or settings.CONTENT_DIR)
    if not path.is_file():
        return path, None
    found = locate(path)
    if found is None:
        raise CommandError(
            f"{display_path(path)} is not a content file; see content/README.md for the layout",
            returncode=1,
        )
    return found[0], path
