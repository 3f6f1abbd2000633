"""Stable ids for content items: a letter then nine random base-36 characters, e.g. `k3f9x2ab7q`.

Random rather than derived from titles, so that fixing a typo or moving an item never changes the
id that learner progress and admin curation hang on. The leading letter keeps YAML from reading
an id as a number.
"""

import secrets
import string

_LETTERS = string.ascii_lowercase
_ALPHABET = string.ascii_lowercase + string.digits


def new_id() -> str:
    return secrets.choice(_LETTERS) + "".join(secrets.choice(_ALPHABET) for _ in range(9))
