"""A stage without its duration."""

FILE = 'tracks/web/mid-level.yaml'
EDITS = [
    ('duration: {min: 1, unit: years}\n', ''),
]
