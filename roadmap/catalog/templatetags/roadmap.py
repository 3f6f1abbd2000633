"""Template helpers: edit links, canonical URLs, the navigation state and the timelines chart."""

import math
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from roadmap.catalog import structured_data, timeline
from roadmap.catalog.models import Track

register = template.Library()

# The branch "Suggest an edit" opens files on.
EDIT_BRANCH = getattr(settings, "REPOSITORY_BRANCH", "main")


@register.simple_tag
def repository_url() -> str:
    return settings.REPOSITORY_URL


@register.simple_tag
def edit_url(path: str) -> str:
    """The repository's web editor for one content file, e.g. `content/guides/levels.md`."""
    return f"{settings.REPOSITORY_URL.rstrip('/')}/edit/{EDIT_BRANCH}/{path}"


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's address without its query string (filters and tracking parameters)."""
    request = context["request"]
    return request.build_absolute_uri(request.path)


@register.simple_tag(takes_context=True)
def current(context, *url_names: str) -> str:
    """` aria-current="page"` on the main navigation link of the section being shown."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match and match.url_name in url_names:
        return mark_safe(' aria-current="page"')
    return ""


# --- the timelines chart -------------------------------------------------------------------
# Every bar comes from the timeline model (`roadmap.catalog.timeline`): a track's road to its
# title, part by part, so the chart, the tables and the pages show the same computed figures.

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


@register.inclusion_tag("_timelines_chart.html")
def timelines_chart(tracks: list[Track], chart_id: str = "timelines") -> dict:
    rows, years = chart_rows(tracks)
    height = len(rows) * ROW_HEIGHT + AXIS_HEIGHT
    ticks = [
        {"x": year / years * 100, "year": year, "anchor": _anchor(year, years)}
        for year in range(years + 1)
    ]
    levels = {}
    for row in rows:
        for seg in row.segments:
            if seg.shade != "extra":
                levels.setdefault(seg.name, seg.shade)
    return {
        "levels": levels.items(),
        "rows": rows,
        "ticks": ticks,
        "height": height,
        "grid_bottom": len(rows) * ROW_HEIGHT,
        "axis_y": len(rows) * ROW_HEIGHT + 18,
        "bar_height": BAR_HEIGHT,
        "chart_id": chart_id,
        "hours": timeline.MODEL_HOURS_PER_WEEK,
    }


def _anchor(year: int, years: int) -> str:
    return "start" if year == 0 else "end" if year == years else "middle"


@register.inclusion_tag("_timeline_model.html")
def timeline_model() -> dict:
    """The model in two sentences, with the pace the stage durations assume."""
    return {"hours": timeline.MODEL_HOURS_PER_WEEK}


@register.simple_tag
def model_hours() -> int:
    return timeline.MODEL_HOURS_PER_WEEK


@register.simple_tag
def model_tolerance() -> str:
    return f"{timeline.TOLERANCE:.0%}"


@register.simple_tag(takes_context=True)
def course_jsonld(context, track: Track, detail=None) -> str:
    """The page's schema.org JSON-LD as an inert data block (see structured_data.py)."""
    stage = detail.stage if detail is not None else None
    absolute = context["request"].build_absolute_uri
    return structured_data.script_tag(structured_data.track_graph(track, stage, detail, absolute))


@register.simple_tag
def track_title(track: Track, level=None) -> str:
    """ "Backend Development · Junior": a track page's title, also sent with its htmx panels."""
    return f"{track.name} · {level.stage.level.name}" if level else track.name


@register.filter
def scrollable_tables(html: str) -> str:
    """Wrap each table of rendered Markdown in a keyboard-scrollable region for narrow screens.

    `html` is our own sanitised `body_html`, whose tables are bare `<table>` elements.
    """
    wrapped = html.replace(
        "<table>",
        '<section class="table-scroll" tabindex="0" aria-label="Table, scrolls sideways"><table>',
    ).replace("</table>", "</table></section>")
    return mark_safe(wrapped)
