"""A value starting with a backtick, which YAML reserves."""

from pathlib import Path

EDITS = [
    ('    summary: The basics of HTML, CSS and JavaScript.', '    summary: `HTML` and CSS basics.'),
]


def generate(root: Path) -> None:
    path = root / 'courses.yaml'
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, f"{old!r} should occur once in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
