"""schema.org JSON-LD for track and level pages: a `Course` per track and per level, with the
time the timeline model computes, and a `LearningResource` per course and reading entry.

It is served as `<script type="application/ld+json">`: a data block that browsers never execute,
so the strict CSP (`script-src 'self'`) applies to it no more than to a `<template>`; no
exception or hash is needed. The JSON is escaped like Django's `json_script` (`<`, `>` and `&`
as `\\u` escapes), so no text of ours can end the element or open a comment.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from . import timeline
from .models import Stage, Track

# As django.utils.html's json_script: what could end the data block, start a comment or an entity.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def time_required(span: timeline.Span) -> str:
    """schema.org's single duration for a range: its long end (a planner's budget), or the
    short end when the range is open-ended."""
    return timeline.iso_duration(span.high if span.high is not None else span.low)


def track_graph(track: Track, stage: Stage | None, detail, absolute) -> dict:
    """The page's graph: the track's course and the shown level's course with its resources.
    `absolute` turns a path into an absolute URL (the request's `build_absolute_uri`)."""
    graph = [_track_course(track, absolute)]
    if stage is not None:
        graph.append(_level_course(track, stage, detail, absolute))
    return {"@context": "https://schema.org", "@graph": graph}


def _track_course(track: Track, absolute) -> dict:
    road = track.road
    url = absolute(track.get_absolute_url())
    if road is not None:
        level, span = road.covers, road.total
    else:
        level = track.entry_level.name
        span = timeline.stated_span(track.duration_min, track.duration_max, track.duration_unit)
    return {
        "@type": "Course",
        "@id": f"{url}#course",
        "name": track.name,
        "description": track.pitch,
        "url": url,
        "educationalLevel": level,
        "timeRequired": time_required(span),
        "hasPart": [
            {"@id": _level_id(track, s, absolute), "@type": "Course", "name": _name(track, s)}
            for s in track.visible_stages
        ],
    }


def _level_course(track: Track, stage: Stage, detail, absolute) -> dict:
    course = {
        "@type": "Course",
        "@id": _level_id(track, stage, absolute),
        "name": _name(track, stage),
        "description": stage.summary,
        "url": absolute(stage.get_absolute_url()),
        "educationalLevel": stage.level.name,
        "timeRequired": time_required(timeline.Span(*timeline.stage_weeks(stage))),
        "isPartOf": {"@id": f"{absolute(track.get_absolute_url())}#course"},
    }
    previous = _previous(track, stage)
    if previous is not None:
        course["coursePrerequisites"] = {
            "@type": "Course",
            "@id": _level_id(track, previous, absolute),
            "name": _name(track, previous),
            "url": absolute(previous.get_absolute_url()),
        }
    elif track.builds_on:  # DevOps starts after another track: that track is the prerequisite
        url = absolute(reverse("track", args=[track.builds_on]))
        course["coursePrerequisites"] = {"@type": "Course", "@id": f"{url}#course", "url": url}
    if detail is not None:
        course["hasPart"] = [
            *(_resource(c.title, c.url, c.get_kind_display(), c.cost) for c in detail.courses),
            *(
                _resource(r.title, absolute(r.url), _reading_kind(r), r.cost, author=r.author)
                for r in detail.reading
            ),
        ]
    return course


def _resource(title: str, url: str, kind: str, cost: str, *, author: str = "") -> dict:
    resource = {
        "@type": "LearningResource",
        "name": title,
        "url": url,
        "learningResourceType": kind,
        "isAccessibleForFree": cost == "free",
    }
    if author:
        resource["author"] = {"@type": "Person", "name": author}
    return resource


def _reading_kind(entry) -> str:
    return "Article" if entry.is_article else "Reading"


def _previous(track: Track, stage: Stage) -> Stage | None:
    stages = list(track.visible_stages)
    index = next((n for n, s in enumerate(stages) if s.pk == stage.pk), 0)
    return stages[index - 1] if index > 0 else None


def _level_id(track: Track, stage: Stage, absolute) -> str:
    return f"{absolute(reverse('level', args=[track.slug, stage.level.slug]))}#course"


def _name(track: Track, stage: Stage) -> str:
    return f"{track.name}: {stage.level.name}"


def script_tag(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
