"""A duration written as text, the way people say it."""

FILE = 'tracks/web/mid-level.yaml'
EDITS = [
    ('duration: {min: 1, unit: years}', 'duration: 1 year'),
]
