"""Pad mistakes.yaml with a comment to exactly 1 MiB, over the 1,000,000-byte limit."""

from pathlib import Path

SIZE = 1024 * 1024


def generate(root: Path) -> None:
    path = root / "mistakes.yaml"
    text = path.read_bytes() + b"# "
    path.write_bytes(text + b"x" * (SIZE - len(text) - 1) + b"\n")
