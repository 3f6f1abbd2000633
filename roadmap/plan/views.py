"""/plan/: the pace calculator and the week plan, and the week plan as .ics and Markdown.

A plain GET form that works without JavaScript; htmx swaps only the result when a value changes.
The page is never stored in the page cache: its dates run from today, and for a learner it is
computed from their own ticks (then it is theirs alone: `never_cache`). A visitor who only looks
gets no session; a learner's pace is remembered when they change it, and a visitor can ask for
it to be remembered with the "Remember my pace" form (which starts their progress).
"""

from dataclasses import replace
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from roadmap.catalog.timeline import MODEL_HOURS_PER_WEEK
from roadmap.progress.origin import require_same_origin
from roadmap.progress.services import learner_get_or_create

from . import exports, selectors, services
from .query import plan_query_parse

TEMPLATE = "plan/plan.html"


@require_GET
@vary_on_headers("HX-Request")
def plan_page(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    partial = request.htmx and not request.htmx.history_restore_request
    template = f"{TEMPLATE}#plan-response" if partial else TEMPLATE
    return _personal(plan, render(request, template, _context(plan)))


@require_GET
def week_ics(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan.week is None:
        return _no_file(request, plan)
    site = request.build_absolute_uri("/").rstrip("/")
    body = exports.week_calendar_build(plan=plan, site=site, now=timezone.now())
    return _personal(plan, _download(body, "text/calendar", f"{_name(plan)}.ics"))


@require_GET
def week_markdown(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan.week is None:
        return _no_file(request, plan)
    site = request.build_absolute_uri("/").rstrip("/")
    body = exports.week_markdown_build(plan=plan, site=site)
    return _personal(plan, _download(body, "text/markdown", f"{_name(plan)}.md"))


@require_POST
@require_same_origin
@never_cache
def pace_remember(request: HttpRequest) -> HttpResponse:
    """Remember the hours in the form with the visitor's progress, starting it if need be."""
    query = plan_query_parse(request.POST)
    if query.hours is None:  # the page's form only offers this with valid hours
        return _see_other(reverse("plan:plan"))
    try:  # the learner, their pace and the session that points at them are saved together
        with transaction.atomic():
            learner_id = learner_get_or_create(session=request.session)
            services.pace_remember(learner_id=learner_id, hours=query.hours)
            request.session.save()
    except Exception:
        request.session.modified = False  # the middleware must not save what was rolled back
        raise
    back = {"track": query.track, "level": query.level, "hours": query.hours}
    return _see_other(f"{reverse('plan:plan')}?{urlencode({k: v for k, v in back.items() if v})}")


# --- helpers ---------------------------------------------------------------------------------


def _plan(request: HttpRequest) -> selectors.Plan:
    """The plan the query asks for; a learner who chose new hours has them remembered."""
    learner_id = selectors.learner_id_for(request)
    plan = selectors.plan_get(params=request.GET, learner_id=learner_id, today=_today())
    hours = plan.query.hours
    if learner_id is not None and hours is not None and hours != plan.remembered:
        services.pace_remember(learner_id=learner_id, hours=hours)
    return plan


def _context(plan: selectors.Plan) -> dict:
    return {"plan": plan, "model_hours": MODEL_HOURS_PER_WEEK}


def _today():
    return timezone.localdate()


def _personal(plan: selectors.Plan, response: HttpResponse) -> HttpResponse:
    if plan.learner:  # computed from their ticks: never stored by a browser's or proxy's cache
        add_never_cache_headers(response)
    return response


def _no_file(request: HttpRequest, plan: selectors.Plan) -> HttpResponse:
    """No file without a plan: the page again, saying why (400, as the request cannot be met)."""
    if not plan.problems:
        plan = replace(plan, problems=["Choose a track and your hours a week first."])
    return _personal(plan, render(request, TEMPLATE, _context(plan), status=400))


def _name(plan: selectors.Plan) -> str:
    return f"roadmap-week-{plan.track.slug}-{plan.week.start:%Y-%m-%d}"


def _download(body: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response
