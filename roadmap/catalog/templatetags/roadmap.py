"""Template helpers: edit links, canonical URLs, the navigation state and the timelines chart."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from roadmap.catalog.models import Stage, Track

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

MONTHS_PER = {"weeks": Decimal(12) / Decimal(52), "months": Decimal(1), "years": Decimal(12)}
ROW_HEIGHT = 80  # px: track name, bar, total
BAR_TOP, BAR_HEIGHT = 24, 22
AXIS_HEIGHT = 28
SHADES = 5  # level colours in the stylesheet: .lvl-0 … .lvl-4
LABEL_MIN_PERCENT = 6.5  # percent of the axis; narrower solid parts carry no label


def months(value: Decimal, unit: str) -> float:
    return float(value * MONTHS_PER[unit])


@dataclass(frozen=True)
class Segment:
    """One level of one track: solid for its minimum, striped up to its maximum."""

    name: str
    label: str
    shade: int
    x: float  # all in percent of the axis
    solid: float
    extra: float  # the range from min to max; for an open-ended level, the fade
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
        return self.solid >= LABEL_MIN_PERCENT


@dataclass(frozen=True)
class Row:
    track: Track
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


def _span(stage: Stage) -> tuple[float, float | None]:
    low = months(stage.duration_min, stage.duration_unit)
    high = None if stage.duration_max is None else months(stage.duration_max, stage.duration_unit)
    return low, high


def chart_rows(tracks: list[Track]) -> tuple[list[Row], int]:
    """Each track's levels laid end to end, and the axis length in whole years."""
    longest = 0.0
    for track in tracks:
        spans = [_span(stage) for stage in track.visible_stages]
        longest = max(longest, sum(high if high is not None else low * 1.5 for low, high in spans))
    years = max(1, math.ceil(longest / 12))
    axis = years * 12
    rows = []
    for n, track in enumerate(tracks):
        at, segments = 0.0, []
        for stage in track.visible_stages:
            low, high = _span(stage)
            extra = (high - low) if high is not None else min(low * 0.5, axis - at - low)
            segments.append(
                Segment(
                    name=stage.level.name,
                    label=stage.duration_label,
                    shade=stage.level.order % SHADES,
                    x=at / axis * 100,
                    solid=low / axis * 100,
                    extra=max(extra, 0) / axis * 100,
                    open_ended=high is None,
                )
            )
            at += low + max(extra, 0)
        rows.append(Row(track=track, segments=segments, top=n * ROW_HEIGHT))
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
    }


def _anchor(year: int, years: int) -> str:
    return "start" if year == 0 else "end" if year == years else "middle"


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
