"""The one place a Markdown file is split into its front matter and its body.

A Markdown content file starts with a `---` line, YAML fields, a second `---` line, then the text.
The reader, `content_fix` and the exporter all split files here, so they agree on where the
front matter ends, and each keeps the file's own line endings when it needs them.
"""

from dataclasses import dataclass

FENCE = "---"


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class FrontMatter:
    lines: list[str]  # the whole file, split with line endings kept
    end: int  # index in `lines` of the closing `---`

    @property
    def yaml(self) -> str:
        """The YAML between the fences, as written."""
        return "".join(self.lines[1 : self.end])

    @property
    def body(self) -> str:
        """The text after the closing fence, as written."""
        return "".join(self.lines[self.end + 1 :])

    @property
    def yaml_line(self) -> int:
        """The 1-based line the YAML starts on."""
        return 2

    @property
    def closing_line(self) -> int:
        """The 1-based line of the closing `---`."""
        return self.end + 1


def split_front_matter(text: str) -> FrontMatter:
    """Split `text`; raises FrontMatterError (with the line) when there is no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise FrontMatterError(1, "must start with front matter: a `---` line, YAML fields, `---`")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if end is None:
        raise FrontMatterError(1, "front matter is not closed by a second `---` line")
    return FrontMatter(lines=lines, end=end)


def join_front_matter(yaml: str, body: str) -> str:
    """A Markdown file's text from its front matter YAML (ending in a newline) and its body."""
    return f"{FENCE}\n{yaml}{FENCE}\n{body}\n"
