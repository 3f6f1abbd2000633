"""/search/: the results page, its htmx partial (live results as you type), and the short live
list under the site-wide search box. Results are the same for everyone, so the page cache keeps
them for a short while (every distinct query is an entry): a popular search then costs what a
page does."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from roadmap.ops.page_cache import shared_page

from . import selectors

# Every distinct query is an entry of its own: keep them for minutes, not the day pages get.
SEARCH_SECONDS = 10 * 60


@shared_page(query=("q", "kind"), seconds=SEARCH_SECONDS)
@require_GET
@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    query, cut = selectors.search_query_clean(request.GET.get("q", ""))
    results = selectors.search_results_get(query=query, kind=request.GET.get("kind", ""))
    context = {"query": query, "cut": cut, "results": results}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "search/search.html#search-response", context)
    return render(request, "search/search.html", context)


@shared_page(query=("q",), seconds=SEARCH_SECONDS)
@require_GET
@vary_on_headers("HX-Request")
def suggest(request: HttpRequest) -> HttpResponse:
    query, _ = selectors.search_query_clean(request.GET.get("q", ""))
    if not request.htmx:  # a fragment is no page: send people to the results page
        return redirect(f"{reverse('search')}?{urlencode({'q': query})}")
    context = {"query": query, "suggestions": selectors.search_suggestions_get(query=query)}
    return render(request, "search/_box.html#search-suggestions", context)
