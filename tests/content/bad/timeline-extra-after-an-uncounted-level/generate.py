# An extra part follows the Mid-level stage, which the total (up to Mid-level) does not count.
FILE = "tracks/web/track.yaml"
EDITS = [("      after: junior\n", "      after: mid-level\n")]
