"""A duration written as text ("1") instead of a number."""

from pathlib import Path

EDITS = [
    ('duration: {min: 1, unit: years}', 'duration: {min: "1", unit: years}'),
]


def generate(root: Path) -> None:
    path = root / 'tracks/web/mid-level.yaml'
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, f"{old!r} should occur once in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
