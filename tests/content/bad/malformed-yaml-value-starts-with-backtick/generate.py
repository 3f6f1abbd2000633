"""A value starting with a backtick, which YAML reserves."""

FILE = 'courses.yaml'
EDITS = [
    ('    summary: The basics of HTML, CSS and JavaScript.', '    summary: `HTML` and CSS basics.'),
]
