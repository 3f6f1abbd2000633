"""/start/: one question at a time, each step its own URL; the last step is the recommendation.

Without JavaScript each answer is a GET form that leads to the next step's URL. With htmx the
same request swaps just the question card and pushes the URL, so Back and reload still work.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from roadmap.catalog.selectors import site_text_get

from . import selectors


@require_GET
@vary_on_headers("HX-Request")
def start(request: HttpRequest) -> HttpResponse:
    step = selectors.step_get(params=request.GET)
    recommendation = None
    if step.current is None and step.questions:
        recommendation = selectors.recommendation_get(answers=step.answers)
    context = {"step": step, "recommendation": recommendation}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "start/start.html#start-response", context)
    context["site"] = site_text_get()
    return render(request, "start/start.html", context)
