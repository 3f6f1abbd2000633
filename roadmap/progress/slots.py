"""A learner's parts of a shared page ("slots"): one small function each.

`{% personal "name" key=value %}` (templatetags/personal.py) stands where a slot shows. A shared
page stores a marker there and fills it in on every request from the visitor's `PageProgress`
(roadmap/ops/page_cache.py); any other page calls the function in place. A slot gets the
visitor's progress and the plain values the template named (ids, strings, or catalogue objects,
which are stored with the page), and returns HTML.

They are Python rather than templates because a level page has about thirty of them, filled on
every learner's request: as templates they cost more than everything else on that request.
New slot: a function here, decorated with `@slot`, and a `{% personal %}` line where it shows.
"""

from collections.abc import Callable

from django.template import Context
from django.template.defaultfilters import pluralize
from django.template.loader import get_template
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .selectors import LevelProgress, PageProgress

SLOTS: dict[str, Callable[..., str]] = {}


def slot(function: Callable[..., str]) -> Callable[..., str]:
    SLOTS[function.__name__] = function
    return function


def slot_render(name: str, progress: PageProgress, values: dict) -> SafeString:
    return mark_safe(SLOTS[name](progress, **values))


@slot
def ticked(progress: PageProgress, *, item_id: str, text: str, ticked: bool = False) -> str:
    """`text` (an attribute such as " checked") when the learner ticked the item."""
    return conditional_escape(text) if ticked or item_id in progress.ticked else ""


@slot
def level_count(progress: PageProgress, *, stage_id: str) -> str:
    """A level tab's "3 of 5 ready"."""
    return level_count_html(progress.count(stage_id))


def level_count_html(count: LevelProgress, *, oob: bool = False) -> str:
    """ "3 of 5 ready" for one level: the level's criteria the learner ticked. Empty until
    something on the level is ticked; the element is always there, so a tick can update it (an
    htmx out-of-band swap by its id, `oob`). At most once per page for each level."""
    # An f-string, not format_html: five of these are on every learner's level page, and the
    # only text in it that is not a number is the stage's id, escaped here.
    complete = " is-complete" if count.complete else ""
    swap = ' hx-swap-oob="true"' if oob else ""
    text = f"{count.ready_done} of {count.ready_total} ready" if count.done else ""
    return (
        f'<span id="level-count-{escape(count.stage_id)}" class="level-count{complete}"{swap}>'
        f"{text}</span>"
    )


@slot
def level_done(progress: PageProgress, *, stage_id: str, next_stage, track) -> str:
    """The "all criteria ticked: next level" line at the top of a level (an empty element
    otherwise, which a tick fills in place)."""
    return _template(
        "progress/_level_done.html",
        count=progress.count(stage_id),
        guide=progress.transitions_guide,
        next_stage=next_stage,
        track=track,
    )


@slot
def note_text(progress: PageProgress, *, note: str = "") -> str:
    """The learner's note on the level on show, as the text of its textarea."""
    return escape(note or progress.note)


@slot
def note_print(progress: PageProgress, *, note: str = "") -> str:
    """The same note as printed text (the textarea does not print well)."""
    text = note or progress.note
    if not text:
        return ""
    return f'<p class="note-print-title">My notes</p><p class="note-print-text">{escape(text)}</p>'


@slot
def since_last_visit(progress: PageProgress, *, track) -> str:
    """What content loads changed on this track since the learner's previous visit."""
    if not progress.since_last_visit:
        return ""
    return _template("progress/_since_last_visit.html", progress=progress, track=track)


@slot
def where_you_left_off(progress: PageProgress) -> str:
    """The learner's level, how far along they are, and "Continue", atop home and track pages.
    Python rather than a template: it is on every learner's home and track page."""
    if progress.resume is None:
        return ""
    stage, count = progress.resume.stage, progress.resume.progress
    done = []
    if count.ready_total:
        done.append(f"{count.ready_done} of {count.ready_total} ready")
    if count.projects_total:
        built = "project" + pluralize(count.projects_total)
        done.append(f"{count.projects_done} of {count.projects_total} {built} built")
    bar = ""
    if count.ready_total:
        bar = format_html(
            ' <progress max="{}" value="{}" aria-label="Criteria ticked on {}">{} of {}</progress>',
            count.ready_total, count.ready_done, stage.level.name,
            count.ready_done, count.ready_total,
        )  # fmt: skip
    return format_html(
        '<aside class="continue" aria-labelledby="continue-title">\n'
        '<p class="continue-where"><span id="continue-title" class="continue-label">'
        "Where you left off</span> <strong>{} · {}</strong></p>\n"
        '<p class="continue-count">{}{}</p>\n'
        '<p class="continue-action"><a class="button" href="{}#level-title">Continue'
        '<span class="visually-hidden"> with {}, {}</span> →</a></p>\n</aside>',
        stage.track.name, stage.level.name, " · ".join(done), bar,
        stage.page_url,
        stage.track.name, stage.level.name,
    )  # fmt: skip


def _template(name: str, **context) -> str:
    return get_template(name).template.render(Context(context, autoescape=True))
