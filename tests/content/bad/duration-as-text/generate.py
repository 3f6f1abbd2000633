"""A duration written as text, the way people say it."""

from pathlib import Path

EDITS = [
    ('duration: {min: 1, unit: years}', 'duration: 1 year'),
]


def generate(root: Path) -> None:
    path = root / 'tracks/web/mid-level.yaml'
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, f"{old!r} should occur once in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
