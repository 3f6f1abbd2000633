"""Ticks, notes, the "My progress" page, export and import: one typed view per action.

Every form works without JavaScript (it posts, and the answer redirects back to where the
learner was, anchored at the item); htmx enhances the tick and note forms to in-place updates.
The tick and note forms live on shared, cached level pages, so they are protected by an origin
check rather than a token (see origin.py); the forms on /progress/ carry Django's CSRF token.
Answers that show a learner's progress are never cached (`never_cache`): they are theirs alone.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roadmap.catalog.models import Stage, StageItem
from roadmap.catalog.selectors import next_level_get, transitions_guide_get

from . import exchange, private_link, selectors, services
from .forms import ImportForm, NoteForm, ResetForm
from .learner_state import learner_state_changed
from .origin import require_same_origin


@require_GET
@never_cache
def progress_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@require_same_origin
@never_cache
def tick(request: HttpRequest, item_id: str) -> HttpResponse:
    """Set one item's checkbox: ticked when the form sends `done`, unticked when it does not."""
    item = selectors.tickable_item_get(item_id=item_id)
    # The box sits in its section's form, whose values htmx sends too: `done-<id>` for every
    # ticked box of the section. A form for this box alone may send plain `done`.
    done = bool(request.POST.get(f"done-{item.content_id}") or request.POST.get("done"))
    learner_id = selectors.learner_id_get(session=request.session)
    if done or learner_id is not None:  # unticking without progress has nothing to do
        with _all_or_nothing(request):
            learner_id = services.learner_get_or_create(session=request.session, stage=item.stage)
            services.tick_set(learner_id=learner_id, item=item, done=done)
    return _tick_response(request, item=item, ticked=done)


@require_POST
@require_same_origin
@never_cache
def ticks_save(request: HttpRequest, stage_id: str) -> HttpResponse:
    """A section's Save button without JavaScript: every box of the section (`items`), ticked
    (`done-<id>`) or not, saved together or not at all."""
    stage = selectors.stage_get(stage_id=stage_id)
    item_ids = request.POST.get("items", "").split()
    done = {item_id for item_id in item_ids if request.POST.get(f"done-{item_id}")}
    items = selectors.section_items_get(stage=stage, item_ids=item_ids)
    if items is None:
        message = (
            "These ticks could not be saved: the list they came from has changed since the "
            "page was loaded. Nothing was saved; tick them again on the fresh page."
        )
        context = {"stage": stage, "message": message, "next": _level_url(stage)}
        return render(request, "progress/ticks_refused.html", context, status=400)
    if done or selectors.learner_id_get(session=request.session) is not None:
        with _all_or_nothing(request):
            learner_id = services.learner_get_or_create(session=request.session, stage=stage)
            services.ticks_set(learner_id=learner_id, items=items, done=done)
    back = _return_url(request, fallback=_level_url(stage))
    return _see_other(f"{back}#item-{items[0].content_id}")


@require_POST
@require_same_origin
@never_cache
def note_save(request: HttpRequest, stage_id: str) -> HttpResponse:
    stage = selectors.stage_get(stage_id=stage_id)
    form = NoteForm(request.POST)
    back = _return_url(request, fallback=_level_url(stage))
    if not form.is_valid():
        if request.htmx:  # htmx swaps 200 answers only: the message replaces the status line
            return render(request, "progress/_note.html#note-status", {"note_form": form})
        note = request.POST.get("text", "")
        context = {"stage": stage, "note": note, "next": back, "note_form": form}
        return render(request, "progress/note.html", context, status=400)
    text = form.cleaned_data["text"]
    if text.strip() or selectors.learner_id_get(session=request.session) is not None:
        with _all_or_nothing(request):  # an empty note from a new visitor creates nothing
            learner_id = services.learner_get_or_create(session=request.session, stage=stage)
            services.note_save(learner_id=learner_id, stage=stage, text=text)
    if request.htmx:
        context = {"status": "Your note is saved."}
        return render(request, "progress/_note.html#note-status", context)
    return _see_other(f"{back}#note-{stage.content_id}")


@require_POST
@never_cache
def reset(request: HttpRequest) -> HttpResponse:
    form = ResetForm(request.POST)
    if not form.is_valid():
        return _page(request, reset_form=form, status=400)
    learner_id = selectors.learner_id_get(session=request.session)
    had_link = private_link.private_link_get(learner_id=learner_id) is not None
    with _all_or_nothing(request):
        services.progress_reset(session=request.session)
    message = "Your ticks and notes are deleted."
    if had_link:
        message += " Your private link no longer works; make a new one when you need it."
    messages.success(request, message)
    return _see_other(reverse("progress:page"))


@require_POST
@never_cache
def import_file(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, import_form=form, status=400)
    with _all_or_nothing(request):
        learner_id = services.learner_get_or_create(session=request.session)
        progress = form.cleaned_data["progress"]
        result = services.progress_import(learner_id=learner_id, progress=progress)
    ticks = ngettext("%(n)d tick", "%(n)d ticks", result.ticks) % {"n": result.ticks}
    notes = ngettext("%(n)d note", "%(n)d notes", result.notes) % {"n": result.notes}
    message = f"Imported {ticks} and {notes}."
    if result.skipped:
        message += " " + ngettext(
            "%(n)d entry points at nothing this site has, and was skipped.",
            "%(n)d entries point at nothing this site has, and were skipped.",
            result.skipped,
        ) % {"n": result.skipped}
    messages.success(request, message)
    return _see_other(reverse("progress:page"))


@require_POST
@never_cache
def link_create(request: HttpRequest) -> HttpResponse:
    """Make a private link (replacing any other) and show it, this once, on the page itself:
    only its digest is kept, so there is nothing to show after a redirect."""
    with _all_or_nothing(request):
        learner_id = services.learner_get_or_create(session=request.session)
        token = private_link.private_link_create(learner_id=learner_id)
    url = request.build_absolute_uri(reverse("progress:link_open", args=[token]))
    return _page(request, new_link=url)


@require_POST
@never_cache
def link_revoke(request: HttpRequest) -> HttpResponse:
    learner_id = selectors.learner_id_get(session=request.session)
    if private_link.private_link_revoke(learner_id=learner_id):
        messages.success(request, "Your private link is revoked: it opens nothing any more.")
    return _see_other(reverse("progress:page"))


@require_GET
@never_cache
def link_open(request: HttpRequest, token: str) -> HttpResponse:
    """Opening a private link: remember it and redirect to its confirmation, so the token
    leaves the address bar at once and travels in no Referer header."""
    request.path_for_log = reverse("progress:link_open", args=["-"])  # no token in the logs
    with _all_or_nothing(request):
        held = private_link.private_link_hold(session=request.session, token=token)
    if held:
        response = _see_other(reverse("progress:link_confirm"))
    else:
        response = render(request, "progress/link_invalid.html", status=404)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
@never_cache
def link_confirm(request: HttpRequest) -> HttpResponse:
    """Asks before a private link's progress takes over this browser; the POST does it."""
    if request.method == "GET":
        if private_link.private_link_pending(session=request.session) is None:
            return render(request, "progress/link_invalid.html", status=404)
        learner_id = selectors.learner_id_get(session=request.session)
        context = {"own": selectors.progress_overview_get(learner_id=learner_id)}
        return render(request, "progress/link_confirm.html", context)
    with _all_or_nothing(request):
        attached = private_link.private_link_attach(session=request.session)
    if not attached:
        return render(request, "progress/link_invalid.html", status=404)
    messages.success(
        request,
        "This browser now shows the progress of your private link; what you tick here "
        "shows on your other devices too.",
    )
    return _see_other(reverse("progress:page"))


@require_GET
@never_cache
def export_markdown(request: HttpRequest) -> HttpResponse:
    learner_id = selectors.learner_id_get(session=request.session)
    overview = selectors.progress_overview_get(learner_id=learner_id)
    text = exchange.brag_document_build(overview=overview, now=timezone.localtime())
    return _download(text, "text/markdown", f"brag-document-{timezone.localdate()}.md")


@require_GET
@never_cache
def export_json(request: HttpRequest) -> HttpResponse:
    learner_id = selectors.learner_id_get(session=request.session)
    export = selectors.progress_export_get(learner_id=learner_id)
    data = exchange.progress_file_build(export=export, now=timezone.now())
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _download(text, "application/json", f"roadmap-progress-{timezone.localdate()}.json")


# --- helpers ---------------------------------------------------------------------------------


@contextmanager
def _all_or_nothing(request: HttpRequest) -> Iterator[None]:
    """The write, the learner row and the session that points at it commit together or not at
    all: the session is saved inside the transaction rather than after the view, so a failure
    anywhere leaves no learner without a session (and no session pointing at nothing)."""
    try:
        with transaction.atomic():
            yield
            learner_state_changed(session=request.session)  # no process shows what it kept
            request.session.save()
    except Exception:
        request.session.modified = False  # the middleware must not save what was rolled back
        raise


def _page(
    request: HttpRequest,
    *,
    import_form: ImportForm | None = None,
    reset_form: ResetForm | None = None,
    new_link: str = "",
    status: int = 200,
) -> HttpResponse:
    learner_id = selectors.learner_id_get(session=request.session)
    context = {
        "overview": selectors.progress_overview_get(learner_id=learner_id),
        "private_link": private_link.private_link_get(learner_id=learner_id),
        "new_link": new_link,
        "brag_guide": selectors.guide_find(slug=exchange.BRAG_GUIDE_SLUG),
        "import_form": import_form or ImportForm(),
        "reset_form": reset_form or ResetForm(),
    }
    return render(request, "progress/progress.html", context, status=status)


def _tick_response(request: HttpRequest, *, item: StageItem, ticked: bool) -> HttpResponse:
    back = _return_url(request, fallback=_level_url(item.stage))
    if not request.htmx:
        return _see_other(f"{back}#item-{item.content_id}")
    learner_id = selectors.learner_id_get(session=request.session)
    count = selectors.level_progress_get(stage=item.stage, learner_id=learner_id)
    context = {
        "item": item,
        "ticked": ticked,
        "next": back,
        "count": count,
        "in_section": "items" in request.POST,  # sent from a level page's section form
        "track": item.stage.track,
        # What the "level done" line names, read only when the level is done.
        "next_stage": next_level_get(stage=item.stage) if count.complete else None,
        "guide": transitions_guide_get() if count.complete else None,
    }
    return render(request, "progress/_tick.html#tick-response", context)


def _return_url(request: HttpRequest, *, fallback: str) -> str:
    """The page the form was on (`next`), if it is a path on this site; else `fallback`."""
    url = request.POST.get("next", "").split("#")[0]
    safe = url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else fallback


def _level_url(stage: Stage) -> str:
    return reverse("level", args=[stage.track.slug, stage.level.slug])


def _see_other(url: str) -> HttpResponseRedirect:
    """A redirect after a POST that the browser follows with a GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _download(text: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
