"""One file with a typo (a schema error), a duplicate id and an unknown course: all three in one run."""

from pathlib import Path

EDITS = [
    ('    teaches: Retries, idempotency and monitoring.', '    teachs: Retries, idempotency and monitoring.'),
    ('paid-course', 'no-such-course'),
    ('  - id: n1yg7n9s8p', '  - id: dxyirg0ou8'),
]


def generate(root: Path) -> None:
    path = root / 'tracks/web/mid-level.yaml'
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, f"{old!r} should occur once in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
