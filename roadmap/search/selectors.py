"""Search queries: one database query per search, whatever the text typed, plus one trying near
spellings when nothing matched (PostgreSQL). The terms a typed short form stands for come from
the catalogue kept per content version (roadmap/catalog/catalogue.py), usually with no query.

Each entry also holds the words learners type for the terms it uses (`terms`, filled from
search_synonyms.yaml when the index is built), so `k8s` finds what says Kubernetes everywhere;
the results then mark "Kubernetes" too.

On PostgreSQL, full-text search with ranking (English stemming, `websearch` syntax: quotes,
`or`, `-word`), plus prefix matching for the word being typed and a plain substring match for
words the parser splits oddly (".NET", "C#"). Each row's document is stored (models.py), under a
GIN index. When that finds nothing, `pg_trgm` word similarity finds entries with words close to
each typed one ("kuberntes"), best first.

Elsewhere (SQLite), every word must appear in the title, the text or the terms,
case-insensitively; results come in catalogue order. There is no typo tolerance there.
"""

import re
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import add, and_

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from roadmap.catalog.catalogue import catalogue_get

from .models import KIND_ORDER, Kind, SearchEntry

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
MAX_ROWS = 500  # more matches than this means the query is too broad to read anyway
PER_KIND = 8
SNIPPET_LENGTH = 180
MIN_PREFIX = 3  # a shorter prefix matches too much to help
MIN_NEAR = 4  # shorter words have too few trigrams for a near spelling to mean anything
NEAR = 0.5  # pg_trgm word similarity a near spelling needs (its own default is 0.6)
CONFIG = "english"

# Words as people type them: "C#", "C++", ".NET", "node.js", "don't" stay whole.
_WORD = re.compile(r"\.?\w(?:[\w#+.'’-]*[\w#+])?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Result:
    kind: str
    title: SafeString  # escaped, with the matches in <mark>
    snippet: SafeString
    context: str
    url: str


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    results: list[Result]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.results)


@dataclass(frozen=True)
class SearchResults:
    query: str
    kind: str  # "" for every kind
    groups: list[Group]
    total: int
    capped: bool  # more than MAX_ROWS matched
    near: bool = False  # nothing matched as typed; these are near spellings
    also: tuple[str, ...] = ()  # the terms typed short forms stand for ("Kubernetes" for k8s)

    @property
    def words(self) -> list[str]:
        return search_words(self.query)


def search_query_clean(raw: str) -> tuple[str, bool]:
    """The query as searched: control characters (NUL breaks PostgreSQL) and runs of spaces
    removed, cut at MAX_QUERY_LENGTH. Also says whether it was cut."""
    query = " ".join(_CONTROL.sub(" ", raw).split())
    return query[:MAX_QUERY_LENGTH].strip(), len(query) > MAX_QUERY_LENGTH


def search_words(query: str) -> list[str]:
    words = dict.fromkeys(word.lower() for word in _WORD.findall(query))
    return list(words)[:MAX_WORDS]


def search_results_get(*, query: str, kind: str = "", per_kind: int = PER_KIND) -> SearchResults:
    """Matches grouped by kind, in the kinds' order; `kind` shows every match of one kind."""
    kind = kind if kind in KIND_ORDER else ""
    rows = list(_matches(query, kind)[: MAX_ROWS + 1]) if query else []
    near = False
    if query and not rows:
        rows = list(_near(query, kind)[: MAX_ROWS + 1])
        near = bool(rows)
    capped = len(rows) > MAX_ROWS
    by_kind: dict[str, list[SearchEntry]] = {}
    for row in rows[:MAX_ROWS]:
        by_kind.setdefault(row.kind, []).append(row)
    also = synonym_terms(query) if rows else []
    words = [*search_words(query), *(term.lower() for term in also)]
    limit = MAX_ROWS if kind else per_kind
    groups = [
        Group(
            kind=k,
            label=Kind(k).label,
            results=[_result(row, words) for row in by_kind[k][:limit]],
            total=len(by_kind[k]),
        )
        for k in sorted(by_kind, key=KIND_ORDER.__getitem__)
    ]
    total = sum(group.total for group in groups)
    return SearchResults(
        query=query,
        kind=kind,
        groups=groups,
        total=total,
        capped=capped,
        near=near,
        also=tuple(also),
    )


def search_suggestions_get(*, query: str, limit: int = 6) -> list[Result]:
    """The best few matches of any kind, for the live results under a search box."""
    if not query:
        return []
    rows = list(_matches(query, "")[:limit]) or list(_near(query, "")[:limit])
    also = synonym_terms(query) if rows else []
    words = [*search_words(query), *(term.lower() for term in also)]
    return [_result(row, words) for row in rows]


def synonym_terms(query: str) -> list[str]:
    """The terms the typed words stand for (search_synonyms.yaml: "Kubernetes" for `k8s`), to
    mark them in the results and name them in the status line. The synonyms come from the
    catalogue this process keeps per content version: usually no query."""
    words = search_words(query)
    typed = {*words, " ".join(words)}
    if not words:
        return []
    return [
        term
        for term, also in catalogue_get().search_synonyms()
        if typed & also and term.lower() not in typed
    ]


def _matches(query: str, kind: str) -> QuerySet[SearchEntry]:
    entries = SearchEntry.objects.all()
    if kind:
        entries = entries.filter(kind=kind)
    words = search_words(query)
    if not words:  # nothing a word can match, e.g. only punctuation or emoji
        return entries.none()
    contains = reduce(
        and_,
        (Q(title__icontains=w) | Q(body__icontains=w) | Q(terms__icontains=w) for w in words),
    )
    if connection.vendor != "postgresql":
        return entries.filter(contains).order_by("position")
    search = SearchQuery(query, search_type="websearch", config=CONFIG)
    typed = _typed_query(query)
    if typed is not None:
        search |= typed
    found = Q(document=search)
    if any(not w.isalnum() for w in words):  # ".NET", "C#", "node.js": the parser mangles them
        found |= contains
    return (
        entries.defer("document")
        .annotate(rank=SearchRank(F("document"), search))
        .filter(found)
        .order_by(F("rank").desc(nulls_last=True), "position")
    )


def _near(query: str, kind: str) -> QuerySet[SearchEntry]:
    """Entries with a word close to each typed word of MIN_NEAR letters or more (PostgreSQL's
    pg_trgm), most similar first; none elsewhere, or when no word is long enough."""
    words = [w for w in re.findall(r"[^\W_]+", query.lower())[:MAX_WORDS] if len(w) >= MIN_NEAR]
    entries = SearchEntry.objects.all()
    if connection.vendor != "postgresql" or not words:
        return entries.none()
    if kind:
        entries = entries.filter(kind=kind)
    scores = {
        f"near_{n}": Greatest(
            TrigramWordSimilarity(word, "title"), TrigramWordSimilarity(word, "body")
        )
        for n, word in enumerate(words)
    }
    close = reduce(and_, (Q(**{f"{name}__gte": NEAR}) for name in scores))
    total = reduce(add, (F(name) for name in scores))
    return (
        entries.defer("document")
        .annotate(**scores)
        .filter(close)
        .order_by(total.desc(), "position")
    )


def _typed_query(query: str) -> SearchQuery | None:
    """The text as it is being typed: every word, and the last one as a prefix ("kube" finds
    "Kubernetes"). Words are runs of letters and digits, quoted, so no input is tsquery syntax."""
    words = re.findall(r"[^\W_]+", query.lower())[:MAX_WORDS]
    if not words or len(words[-1]) < MIN_PREFIX:
        return None
    *done, last = words
    typed = SearchQuery(f"'{last}':*", search_type="raw", config="simple")
    if done:
        typed &= SearchQuery(" & ".join(f"'{w}'" for w in done), search_type="raw", config=CONFIG)
    return typed


# --- showing a match ----------------------------------------------------------------------


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` escaped, with every occurrence of a word wrapped in <mark>.

    Matches are found in the raw text and each piece is escaped on its own, so a word can never
    match inside an entity the escaping made (`&amp;`) nor produce markup of its own.
    """
    if not words or not text:
        return escape(text)
    pattern = _words_pattern(tuple(words))
    pieces, start = [], 0
    for match in pattern.finditer(text):
        pieces += [escape(text[start : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        start = match.end()
    pieces.append(escape(text[start:]))
    return mark_safe("".join(pieces))  # every piece is escaped above


@lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    """Any of the words, longest first, any case: built once per search, not per result."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)


def snippet(text: str, words: list[str], length: int = SNIPPET_LENGTH) -> str:
    """A window of `text` around the first match, cut at word boundaries."""
    if len(text) <= length:
        return text
    lowered = text.lower()
    found = [i for i in (lowered.find(w) for w in words) if i >= 0]
    start = max(0, min(found) - length // 3) if found else 0
    end = min(len(text), start + length)
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return f"{'… ' if start > 0 else ''}{text[start:end].strip()}{' …' if end < len(text) else ''}"


def _result(row: SearchEntry, words: list[str]) -> Result:
    return Result(
        kind=row.kind,
        title=highlight(row.title, words),
        snippet=highlight(snippet(row.body, words), words),
        context=row.context,
        url=row.url,
    )
