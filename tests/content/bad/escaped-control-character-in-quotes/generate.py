r"""`\0` inside double quotes is YAML for a NUL character."""

FILE = 'courses.yaml'
EDITS = [
    ('    title: Learn web development', '    title: "Learn web\\0 development"'),
]
