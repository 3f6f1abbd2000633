"""A duration written as text ("1") instead of a number."""

FILE = 'tracks/web/mid-level.yaml'
EDITS = [
    ('duration: {min: 1, unit: years}', 'duration: {min: "1", unit: years}'),
]
