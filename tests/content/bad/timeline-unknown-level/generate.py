# The timeline reaches a level levels.yaml does not have.
FILE = "tracks/web/track.yaml"
EDITS = [("  to: mid-level\n", "  to: principal\n")]
