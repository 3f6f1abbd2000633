"""A summary of spaces only counts as empty."""

from pathlib import Path

EDITS = [
    ('summary: Own features from start to finish.', 'summary: "   "'),
]


def generate(root: Path) -> None:
    path = root / 'tracks/web/mid-level.yaml'
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, f"{old!r} should occur once in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
