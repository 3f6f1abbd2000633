"""`manage.py check_spelling` keeps the editor guide's choice of US English: a British spelling
in any content file is reported with its place and the US form, while slugs, URLs and US words
that merely look alike ("optimistic", "analyses") pass."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def check_spelling(root: Path) -> str:
    """The command's report for the tree at `root`, paths from `content/` on."""
    try:
        call_command("check_spelling", str(root), stdout=(out := _Collect()))
    except CommandError as error:
        out.write(f"{error}\n")
    return out.text.replace(f"{root}/", "")


class _Collect:
    def __init__(self):
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text if text.endswith("\n") else text + "\n"

    def flush(self) -> None:
        pass


def new_lines(before: str, after: str) -> list[str]:
    return [line for line in after.splitlines() if line not in before.splitlines()]


def test_a_british_spelling_is_reported_with_its_line_and_the_us_form(valid_tree):
    before = check_spelling(valid_tree)
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "summary: Build and ship a first real web application.",
        "summary: Organise, build and ship a web application with color and behaviour.",
    )
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "text: Never reading error messages to the end.",
        "text: Never reading error messages towards the end.",
    )
    report = new_lines(before, after := check_spelling(valid_tree))
    assert report[:3] == [
        'tracks/web/junior.yaml:5: British spelling "Organise"; write "Organize" '
        "(the editor guide uses US English)",
        'tracks/web/junior.yaml:5: British spelling "behaviour"; write "behavior" '
        "(the editor guide uses US English)",
        'tracks/web/junior.yaml:29: British spelling "towards"; write "toward" '
        "(the editor guide uses US English)",
    ]
    found = len(after.splitlines()) - 1  # every line but the closing count
    assert report[3] == f"{found} British spelling(s); see content/README.md"


def test_slugs_urls_and_look_alike_us_words_are_not_flagged(valid_tree):
    before = check_spelling(valid_tree)
    edit(valid_tree, "questionnaire.yaml", "slug: experience", "slug: maths")
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "summary: Build and ship a first real web application.",
        "summary: Stay optimistic, read the analyses at https://example.org/behaviour/ and ship.",
    )
    assert check_spelling(valid_tree) == before


@pytest.mark.parametrize(
    ("british", "us"),
    [("summarising", "summarizing"), ("catalogues", "catalogs"), ("practise", "practice")],
)
def test_each_form_gets_its_own_us_ending(valid_tree, british, us):
    edit(
        valid_tree,
        "tracks/web/junior.yaml",
        "summary: Build and ship a first real web application.",
        f"summary: Build and ship a first real web application, {british} as you go.",
    )
    assert f'junior.yaml:5: British spelling "{british}"; write "{us}"' in check_spelling(
        valid_tree
    )
