"""The timelines chart: each track's road to its title, part by part, laid out for the SVG.

Every bar comes from the timeline model (`roadmap.catalog.timeline`), so the chart, the tables
and the pages show the same computed figures. `chart_get` lays the whole chart out as plain
values, every number already written as the page shows it and every text already HTML-escaped:
the catalogue keeps the result per content version (`Catalogue.chart()`), so a render only
prints strings (escaping them was half the cost of each value).
"""

import math
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString

from . import timeline
from .models import Track

ROW_HEIGHT = 80  # px: track name, bar, total
BAR_TOP, BAR_HEIGHT = 24, 22
AXIS_HEIGHT = 28
SHADES = 5  # level colours in the stylesheet: .lvl-0 … .lvl-4
LABEL_MIN_PERCENT = 6.5  # percent of the axis; narrower solid parts carry no label


@dataclass(frozen=True)
class Segment:
    """One part of one track's road: solid for its minimum, striped up to its maximum."""

    name: str
    label: str
    shade: str  # "lvl-N" for a stage's study, "extra" for a part that is not study
    x: float  # all in percent of the axis
    solid: float
    extra: float  # the range from min to max; for an open-ended part, the fade
    open_ended: bool

    @property
    def solid_end(self) -> float:
        return self.x + self.solid

    @property
    def width(self) -> float:
        return self.solid + self.extra

    @property
    def label_x(self) -> float:
        return self.x + 0.6

    @property
    def labelled(self) -> bool:
        """Only a solid part wide enough for the name carries it; the legend names every shade."""
        return self.solid >= LABEL_MIN_PERCENT and self.shade != "extra"


@dataclass(frozen=True)
class Row:
    track: Track
    road: timeline.Road
    segments: list[Segment]
    top: int

    @property
    def name_y(self) -> int:
        return self.top + 15

    @property
    def bar_y(self) -> int:
        return self.top + BAR_TOP

    @property
    def label_y(self) -> int:
        return self.top + BAR_TOP + 15

    @property
    def total_y(self) -> int:
        return self.top + BAR_TOP + BAR_HEIGHT + 19


def _drawn(span: timeline.Span) -> float:
    """How far a part reaches on the axis: its maximum, or half again its minimum when open."""
    return span.high if span.high is not None else span.low * 1.5


def chart_rows(tracks: list[Track]) -> tuple[list[Row], int]:
    """Each track's road laid end to end, and the axis length in whole years."""
    roads = [(track, track.road) for track in tracks]
    roads = [(track, road) for track, road in roads if road is not None]
    longest = max((sum(_drawn(p.span) for p in road.parts) for _, road in roads), default=0)
    years = max(1, math.ceil(longest / timeline.WEEKS_PER_UNIT["years"]))
    axis = years * timeline.WEEKS_PER_UNIT["years"]
    rows = []
    for n, (track, road) in enumerate(roads):
        orders = {stage.level.slug: stage.level.order for stage in track.visible_stages}
        at, segments = 0.0, []
        for part in road.parts:
            low, high = part.span.low, part.span.high
            extra = (high - low) if high is not None else min(low * 0.5, axis - at - low)
            shade = f"lvl-{orders[part.level_slug] % SHADES}" if part.is_study else "extra"
            segments.append(
                Segment(
                    name=part.name,
                    label=part.span.label,
                    shade=shade,
                    x=at / axis * 100,
                    solid=low / axis * 100,
                    extra=max(extra, 0) / axis * 100,
                    open_ended=high is None,
                )
            )
            at += low + max(extra, 0)
        rows.append(Row(track=track, road=road, segments=segments, top=n * ROW_HEIGHT))
    return rows, years


def chart_get(tracks: list[Track]) -> dict:
    """The chart's template context (all but its id), numbers written as the page shows them."""
    rows, years = chart_rows(tracks)
    levels = {}
    for row in rows:
        for seg in row.segments:
            if seg.shade != "extra":
                levels.setdefault(seg.name, seg.shade)
    return _escaped(
        {
            "levels": [(escape(name), escape(shade)) for name, shade in levels.items()],
            "rows": [_row(row) for row in rows],
            "ticks": [_tick(year, years) for year in range(years + 1)],
            "height": str(len(rows) * ROW_HEIGHT + AXIS_HEIGHT),
            "grid_bottom": str(len(rows) * ROW_HEIGHT),
            "axis_y": str(len(rows) * ROW_HEIGHT + 18),
            "bar_height": str(BAR_HEIGHT),
            "hours": str(timeline.MODEL_HOURS_PER_WEEK),
        }
    )


def _escaped(values: dict) -> dict:
    """`values` with every text escaped as the template would (numbers from `floatformat` are
    safe already)."""
    return {
        name: escape(value)
        if isinstance(value, str) and not isinstance(value, SafeString)
        else value
        for name, value in values.items()
    }


def _percent(value: float) -> str:
    """A position or width as the SVG gets it: what `|floatformat:3` writes."""
    return floatformat(value, 3)


def _row(row: Row) -> dict:
    name, total = row.track.name, row.road.total.label
    parts = [f"{seg.name} {seg.label}" for seg in row.segments]
    return _escaped(
        {
            "name": name,
            # the chart's description for screen readers, and the table's "Parts, in order"
            "desc": f"{name}: {', then '.join(parts)}. About {total}, {row.road.covers}; "
            f"often stated as {row.track.duration_label}. ",
            "parts": "; ".join(f"{seg.name}: {seg.label}" for seg in row.segments),
            "total": total,
            "covers": row.road.covers,
            "stated": row.track.duration_label,
            "name_y": str(row.name_y),
            "bar_y": str(row.bar_y),
            "bar_bottom": str(row.bar_y + BAR_HEIGHT),
            "label_y": str(row.label_y),
            "total_y": str(row.total_y),
            "segments": [_segment(seg) for seg in row.segments],
        }
    )


def _segment(seg: Segment) -> dict:
    return _escaped(
        {
            "name": seg.name,
            "label": seg.label,
            "shade": seg.shade,
            "fade": seg.shade[4:],  # "lvl-2": the open-ended fade of shade 2
            "x": _percent(seg.x),
            "solid": _percent(seg.solid),
            "solid_end": _percent(seg.solid_end),
            "extra": _percent(seg.extra),
            "open_ended": seg.open_ended,
            "ranged": bool(seg.extra),
            "labelled": seg.labelled,
            "label_x": _percent(seg.label_x),
        }
    )


def _tick(year: int, years: int) -> dict:
    return _escaped(
        {
            "x": _percent(year / years * 100),
            "odd": year % 2 == 1,
            "label": f"{year} yr{'s' if year != 1 else ''}" if year else "0",
            "anchor": "start" if year == 0 else "end" if year == years else "middle",
        }
    )
