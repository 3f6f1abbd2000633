"""Template helpers: edit links, canonical URLs, the navigation state and the timelines chart."""

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
# Drawn from `roadmap.catalog.chart`, which lays it out once per content version.


@register.inclusion_tag("_timelines_chart.html")
def timelines_chart(chart: dict, chart_id: str = "timelines") -> dict:
    """The chart `chart_get` laid out (the catalogue keeps it: `Catalogue.chart()`)."""
    return {**chart, "chart_id": chart_id}


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
    absolute = context["request"].build_absolute_uri
    if detail is None:
        return structured_data.script_tag(structured_data.track_graph(track, None, None, absolute))
    # A level's graph is the same on every request to this address: kept with its level.
    site = absolute("/")
    graph = detail.json_ld.get(site)
    if graph is None:
        graph = detail.json_ld[site] = structured_data.track_graph(
            track, detail.stage, detail, absolute
        )
    return structured_data.script_tag(graph)


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
