"""What a content load changed, item by item, kept for learners ("since your last visit",
/changes/ and the Atom feeds).

The loader already names every row it creates, updates or retires (`LoadPlan.changes`); this
keeps them as `ContentChange` rows under the load's `ContentLoad`, with the track and level each
sat in at the time. Rows that only moved place in their list are left out (an entry above them
came or went), and so is the very first load: a site going from nothing to everything is not
news to anyone.
"""

from typing import TYPE_CHECKING

from roadmap.catalog import models as m

if TYPE_CHECKING:  # the loader imports this module
    from .loader import PlannedChange

ACTIONS = {
    "created": m.ChangeAction.ADDED,
    "updated": m.ChangeAction.CHANGED,
    "retired": m.ChangeAction.RETIRED,
}
WORDING = {"text", "title", "name"}  # the fields whose change means the item reads differently


def content_changes_record(*, load: m.ContentLoad, changes: list["PlannedChange"]) -> int:
    """Store the load's changes that a reader would notice; returns how many. Three queries."""
    kept = [c for c in changes if c.fields != ("order",)]
    if not kept:
        return 0
    by_kind: dict[str, list[str]] = {}
    for change in kept:
        by_kind.setdefault(change.kind, []).append(change.content_id)
    places = _places(by_kind)
    rows = []
    for change in kept:
        action = ACTIONS[change.action]
        if change.fields == ("restored",):  # back in the files after being retired
            action = m.ChangeAction.ADDED
        rows.append(
            m.ContentChange(
                load=load,
                model=change.kind,
                content_id=change.content_id,
                title=change.title[:300],
                action=action,
                fields=list(change.fields),
                reworded=action == m.ChangeAction.CHANGED and bool(WORDING & set(change.fields)),
                **places.get((change.kind, change.content_id), {}),
            )
        )
    m.ContentChange.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _places(by_kind: dict[str, list[str]]) -> dict[tuple[str, str], dict]:
    """(kind, content id) -> the track and level (and item section) the row belongs to."""
    found: dict[tuple[str, str], dict] = {}
    item_ids = by_kind.get(m.StageItem._meta.verbose_name, [])
    items = m.StageItem.objects.filter(content_id__in=item_ids)
    for item in items.select_related("stage__track", "stage__level"):
        place = _stage_place(item.stage)
        found[m.StageItem._meta.verbose_name, item.content_id] = {**place, "item_kind": item.kind}
    stages = m.Stage.objects.filter(content_id__in=by_kind.get(m.Stage._meta.verbose_name, []))
    for stage in stages.select_related("track", "level"):
        found[m.Stage._meta.verbose_name, stage.content_id] = _stage_place(stage)
    tracks = m.Track.objects.filter(content_id__in=by_kind.get(m.Track._meta.verbose_name, []))
    for track in tracks:
        found[m.Track._meta.verbose_name, track.content_id] = _track_place(track)
    return found


def _track_place(track: m.Track) -> dict:
    return {"track_content_id": track.content_id, "track_slug": track.slug, "track_name": track.name}


def _stage_place(stage: m.Stage) -> dict:
    return {
        **_track_place(stage.track),
        "level_slug": stage.level.slug,
        "level_name": stage.level.name,
        "level_order": stage.level.order,
    }
