"""A summary of spaces only counts as empty."""

FILE = 'tracks/web/mid-level.yaml'
EDITS = [
    ('summary: Own features from start to finish.', 'summary: "   "'),
]
