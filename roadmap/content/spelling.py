"""One spelling: the editor guide chooses US English, and `manage.py check_spelling` keeps it.

A short list of British spellings that editors actually wrote, not a dictionary: each entry is a
stem, the endings it takes and the US stem, so "optimistic", "organism" or "analyses" (the plural
of analysis) never match. Extend the list when a review finds a new one. Ids, slugs and URLs are
names for the machine, not prose, so they are skipped (a questionnaire question keeps the slug
`maths` that learners' saved answers point at).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import display_path

if TYPE_CHECKING:
    from .tree import ContentTree

_ISE = "e|ed|es|ing|ation|ations"
UK_TO_US = [
    ("organis", _ISE + "|er|ers", "organiz"),
    ("recognis", _ISE + "|able", "recogniz"),
    ("summaris", _ISE, "summariz"),
    ("optimis", _ISE + "|er|ers", "optimiz"),
    ("prioritis", _ISE, "prioritiz"),
    ("utilis", _ISE, "utiliz"),
    ("visualis", _ISE, "visualiz"),
    ("regularis", _ISE, "regulariz"),
    ("normalis", _ISE, "normaliz"),
    ("analys", "e|ed|ing", "analyz"),
    ("practis", "e|ed|es|ing", "practic"),
    ("behaviour", "|s|al|ally", "behavior"),
    ("colour", "|s|ed|ful|ing", "color"),
    ("favour", "|s|ed|ing|ite|ites|able", "favor"),
    ("catalogue", "|s|d", "catalog"),
    ("modell", "ing|ed", "model"),
    ("labell", "ing|ed", "label"),
    ("unlabell", "ed", "unlabel"),
    ("travell", "ing|ed|er|ers", "travel"),
    ("judgement", "|s", "judgment"),
    ("centre", "|s|d", "center"),
    ("licence", "|s", "license"),
    ("defence", "|s", "defense"),
    ("towards", "", "toward"),
    ("afterwards", "", "afterward"),
    ("whilst", "", "while"),
    ("amongst", "", "among"),
    ("learnt", "", "learned"),
    ("maths", "", "math"),
]
_WORDS = [
    (re.compile(rf"\b({stem})({endings})\b", re.IGNORECASE), us) for stem, endings, us in UK_TO_US
]
# Product and book names keep their own spelling: add such a name here and it is not checked.
PROPER_NAMES: tuple[str, ...] = ()
_NOT_PROSE = re.compile(r"^\s*(-\s+)?(id|slug|url|track|level):.*$|https?://\S+")


def british_spellings(tree: ContentTree) -> list[str]:
    """One line per British spelling in a valid file: `path:line: the word; the US form`."""
    problems = []
    for document in tree.documents:
        for number, line in enumerate(document.text.splitlines(), start=1):
            prose = _NOT_PROSE.sub("", line)
            for name in PROPER_NAMES:
                prose = prose.replace(name, "")
            for pattern, us_stem in _WORDS:
                for match in pattern.finditer(prose):
                    stem, ending = match.groups()
                    us = (us_stem.capitalize() if stem[0].isupper() else us_stem) + ending
                    problems.append(
                        f'{display_path(document.path)}:{number}: British spelling "{match[0]}"; '
                        f'write "{us}" (the editor guide uses US English)'
                    )
    return problems
