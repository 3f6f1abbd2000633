"""One file with a typo (a schema error), a duplicate id and an unknown course: all three in one run."""

FILE = 'tracks/web/mid-level.yaml'
EDITS = [
    ('    teaches: Retries, idempotency and monitoring.', '    teachs: Retries, idempotency and monitoring.'),
    ('paid-course', 'no-such-course'),
    ('  - id: n1yg7n9s8p', '  - id: dxyirg0ou8'),
]
