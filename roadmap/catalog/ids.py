"""Stable ids for content items: a letter then nine random base-36 characters, e.g. `k3f9x2ab7q`.

Random rather than derived from titles, so that fixing a typo or moving an item never changes the
id that learner progress and admin curation hang on. The leading letter keeps YAML from reading
an id as a number. The patterns live here, with the catalogue whose rows carry the ids and slugs;
the content files, the progress exchange and the admin forms all check against them.
"""

import secrets
import string

# What an id in a content file (and so `content_id` in the database) may look like.
ID_PATTERN = r"^[a-z][a-z0-9]{7,31}$"
# A slug: the part of a URL a page is reached by, e.g. `intro-to-sql`.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

_LETTERS = string.ascii_lowercase
_ALPHABET = string.ascii_lowercase + string.digits


def new_id() -> str:
    return secrets.choice(_LETTERS) + "".join(secrets.choice(_ALPHABET) for _ in range(9))
