"""One key indented by an extra space."""

from pathlib import Path

EDITS = [
    ('\n    provider: MDN Web Docs', '\n     provider: MDN Web Docs'),
]


def generate(root: Path) -> None:
    path = root / 'courses.yaml'
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, f"{old!r} should occur once in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
