"""A NUL character in a guide's Markdown body (written here: git and editors mangle it)."""

from pathlib import Path


def generate(root: Path) -> None:
    path = root / "guides" / "levels.md"
    path.write_text(path.read_text().replace("Finishes well-scoped", "Finishes\x00 well-scoped"))
