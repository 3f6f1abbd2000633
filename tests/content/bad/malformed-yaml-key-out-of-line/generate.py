"""One key indented by an extra space."""

FILE = 'courses.yaml'
EDITS = [
    ('\n    provider: MDN Web Docs', '\n     provider: MDN Web Docs'),
]
