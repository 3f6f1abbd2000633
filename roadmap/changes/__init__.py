"""What content loads changed, for readers: the /changes/ page and its Atom feeds.

The records are written by the loader (roadmap/content/change_log.py); learners see their own
share of them as "since your last visit" (roadmap/progress/visits.py).
"""
