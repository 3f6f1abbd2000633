"""What the 404 page says about a level a track does not have (`/tracks/devops/beginner/`):
where the track starts and why, and, for a level below that start, the track it builds on at
that level. An unknown track gets none of this: its 404 lists the tracks there are."""

from dataclasses import dataclass

from .models import Level, Stage, Track
from .selectors import TrackNotFound, stage_pick, track_get


@dataclass(frozen=True)
class MissingLevel:
    track: Track
    level_name: str  # the level asked for, by name when it is a level at all
    start: Stage  # the stage the track starts with
    why: str  # the track's own words for where it starts (its entry note), else its pitch
    before: Stage | None  # the builds-on track's stage at the level asked for, if below `start`


def missing_level_get(*, missing: TrackNotFound) -> MissingLevel | None:
    """For a 404 on a level of a visible track with stages; None otherwise (two or three
    queries, on the 404 only)."""
    if not missing.level_slug:
        return None
    track = missing.track
    if track is None:  # the level panel alone looks the stage up without its track
        try:
            track = track_get(slug=missing.slug)
        except TrackNotFound:
            return None
    start = stage_pick(track=track)
    if start is None:
        return None
    level = Level.objects.visible().filter(slug=missing.level_slug).first()
    before = None
    if level is not None and level.order < start.level.order and track.builds_on:
        before = (
            Stage.objects.visible()
            .filter(track__slug=track.builds_on, track__retired=False, track__published=True)
            .filter(level=level)
            .select_related("track", "level")
            .first()
        )
    return MissingLevel(
        track=track,
        level_name=level.name if level else missing.level_slug,
        start=start,
        why=track.entry_note or track.pitch,
        before=before,
    )
