"""Append 5,000 nested lists to mistakes.yaml: no content file needs more than a few levels."""

from pathlib import Path


def generate(root: Path) -> None:
    path = root / "mistakes.yaml"
    path.write_text(path.read_text() + "extra: " + "[" * 5000 + "]" * 5000 + "\n")
