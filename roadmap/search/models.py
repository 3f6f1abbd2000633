"""The search index: one row per thing a search can find, derived from the visible catalogue.

Rebuilt whole after every content load and every admin save (it holds a few thousand short rows,
so a rebuild takes well under a second). Nothing here is edited by hand.

On PostgreSQL each row also stores its full-text document, computed once at rebuild, so a search
only compares and ranks: computing the documents per query cost tens of milliseconds.
"""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models


class Kind(models.TextChoices):
    """What a result is; the order here is the order of the groups on the results page."""

    TRACK = "track", "Tracks"
    STAGE = "stage", "Levels"
    SKILL = "skill", "Skills"
    READY_WHEN = "ready_when", "Ready for the next level when"
    PROJECT = "project", "Projects"
    COURSE = "course", "Courses"
    READING = "reading", "Reading"
    ARTICLE = "article", "Articles"
    GUIDE = "guide", "Guides"
    MISTAKE = "mistake", "Mistakes"
    EXPECTATION = "expectation", "What companies expect"


KIND_ORDER = {kind: n for n, kind in enumerate(Kind.values)}


class SearchEntry(models.Model):
    kind = models.CharField(max_length=12, choices=Kind)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True, help_text="More text that matches, shown as a snippet.")
    context = models.CharField(max_length=300, help_text='Where it is, e.g. "Backend · Junior".')
    url = models.CharField(max_length=500, help_text="The page and the anchor it appears at.")
    position = models.PositiveIntegerField(help_text="The catalogue's order within a kind.")
    # Words learners type for terms this entry uses (search_synonyms.yaml: `k8s` for an entry
    # that says Kubernetes): searched like the text, never shown.
    terms = models.TextField(blank=True)
    # PostgreSQL only (empty elsewhere): the text as English lexemes, stemmed so "deploying"
    # finds "deployed", plus unstemmed ones so a word being typed matches as a prefix.
    document = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return self.title


# What `document` holds; the title weighs more than the text in the ranking.
DOCUMENT = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("body", weight="B", config="english")
    + SearchVector("title", weight="A", config="simple")
    + SearchVector("body", weight="B", config="simple")
    + SearchVector("terms", weight="C", config="english")
    + SearchVector("terms", weight="C", config="simple")
)
