"""What a content load tells the rest of the site, so the loader imports none of it.

The page cache, the search index and learner progress each depend on the catalogue; rather than
the loader calling each of them (and growing an import per feature), it announces the load and
every app that cares connects a receiver in its AppConfig.ready().
"""

from django.dispatch import Signal

# Sent on every load, dry runs included, inside the load's transaction once the rows are synced
# and before anything is committed, with `plan` (a LoadPlan). Receivers may add what the change
# means to them, e.g. progress sets `plan.learners_affected` for items about to be retired.
content_load_planned = Signal()

# Sent once per load (never on a dry run), inside the load's transaction, with `plan`; when
# `plan.changed` is false the catalogue is as it was. Receivers rebuild what they derive from the
# content (or schedule that for the commit); writes they make commit or roll back with the load.
content_loaded = Signal()
