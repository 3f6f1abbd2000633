# The stated total is far longer than the stages and extras add up to.
FILE = "tracks/web/track.yaml"
EDITS = [("stated: {min: 1.5, max: 4, unit: years}", "stated: {min: 5, max: 8, unit: years}")]
