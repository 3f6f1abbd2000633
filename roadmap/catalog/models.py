"""The learning path as stored: one row per thing an editor's file describes.

Every file-owned model carries the item's stable `content_id` from its file, a `retired` flag
(loads never delete), the values the last load wrote (`loaded_values`, to detect admin edits) and
two admin-only curation fields that a load never touches.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property

from roadmap.catalog.ids import new_id


class FileOwnedQuerySet(models.QuerySet):
    def visible(self):
        """What the public site shows: loaded from the files, not retired, published by admins."""
        return self.filter(retired=False, published=True)


class FileOwned(models.Model):
    content_id = models.CharField("id", max_length=32, unique=True, default=new_id)
    retired = models.BooleanField(default=False, help_text="Gone from the files; hidden, kept.")
    loaded_values = models.JSONField(default=dict, blank=True, editable=False)
    published = models.BooleanField(default=True, help_text="Admin-only: untick to hide.")
    editorial_note = models.TextField(blank=True, help_text="Admin-only, never shown publicly.")

    # The fields the content files own (by attribute name); subclasses list theirs.
    FILE_FIELDS: tuple[str, ...] = ()

    objects = FileOwnedQuerySet.as_manager()

    class Meta:
        abstract = True


def _unique_live(*fields: str, name: str) -> models.UniqueConstraint:
    """Unique among live rows only: a retired row may share a slug with its replacement."""
    return models.UniqueConstraint(fields=fields, condition=Q(retired=False), name=name)


class Level(FileOwned):
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=300)
    meaning = models.TextField()
    order = models.PositiveIntegerField(default=0)

    FILE_FIELDS = ("slug", "name", "meaning", "order")

    class Meta:
        ordering = ["order"]
        constraints = [_unique_live("slug", name="level_slug_live")]

    def __str__(self) -> str:
        return self.name


class Source(FileOwned):
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    measures = models.CharField(
        max_length=300, default="", help_text="What the page actually measures."
    )
    gives_time_per_level = models.BooleanField(
        default=False,
        help_text="The page itself publishes how long a level takes (else: our estimate).",
    )

    FILE_FIELDS = ("slug", "name", "url", "order", "measures", "gives_time_per_level")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [_unique_live("slug", name="source_slug_live")]

    def __str__(self) -> str:
        return self.name


class Cost(models.TextChoices):
    FREE = "free", "Free"
    PAID = "paid", "Paid"


# --- resources (issue 12): a course's or reading's kind and effort; the label of its use -----


class ResourceKind(models.TextChoices):
    COURSE = "course", "Course"
    BOOK = "book", "Book"
    ARTICLE = "article", "Article"
    DOCS = "docs", "Documentation"
    VIDEO = "video", "Video"
    INTERACTIVE = "interactive", "Interactive"


class ResourceLabel(models.TextChoices):
    """How a stage uses a resource; "" is an editor's unlabelled draft."""

    START_HERE = "start_here", "Start here"
    PICK_ONE = "pick_one", "Pick one"
    GO_DEEPER = "go_deeper", "Go deeper"


class ResourceFacts(models.Model):
    """What a course or reading entry is and how many hours it realistically takes."""

    kind = models.CharField(max_length=12, choices=ResourceKind)
    effort_min = models.DecimalField("effort from (hours)", max_digits=6, decimal_places=1)
    effort_max = models.DecimalField("effort to (hours)", max_digits=6, decimal_places=1)

    FACT_FIELDS = ("kind", "effort_min", "effort_max")

    class Meta:
        abstract = True

    @property
    def effort_label(self) -> str:
        return effort_label(self.effort_min, self.effort_max)


def effort_label(low, high) -> str:
    """`{min, max}` hours as a reader says it: "30–60 min", "2 hours", "10–20 hours"."""
    if high < 1:
        low_minutes, high_minutes = round(low * 60), round(high * 60)
        if low_minutes == high_minutes:
            return f"{low_minutes} min"
        return f"{low_minutes}–{high_minutes} min"
    low_text, high_text = _number(low), _number(high)
    if low_text == high_text:
        return f"{low_text} hour{'' if high == 1 else 's'}"
    return f"{low_text}–{high_text} hours"


def resource_label_field() -> models.CharField:
    return models.CharField(max_length=10, choices=ResourceLabel, blank=True)


class Course(FileOwned, ResourceFacts):
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    provider = models.CharField(max_length=300)
    summary = models.TextField()
    url = models.URLField(max_length=500)
    cost = models.CharField(max_length=4, choices=Cost)
    order = models.PositiveIntegerField(default=0)

    FILE_FIELDS = ("slug", "title", "provider", "summary", "url", "cost", "order")
    FILE_FIELDS += ResourceFacts.FACT_FIELDS

    class Meta:
        ordering = ["order"]
        constraints = [_unique_live("slug", name="course_slug_live")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('courses')}#course-{self.slug}"


class Reading(FileOwned, ResourceFacts):
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=300)
    summary = models.TextField()
    url = models.URLField(max_length=500)
    cost = models.CharField(max_length=4, choices=Cost, default=Cost.FREE)
    order = models.PositiveIntegerField(default=0)

    FILE_FIELDS = ("slug", "title", "author", "summary", "url", "cost", "order")
    FILE_FIELDS += ResourceFacts.FACT_FIELDS

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "reading"
        constraints = [_unique_live("slug", name="reading_slug_live")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('reading')}#reading-{self.slug}"


class Article(FileOwned):
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    summary = models.TextField()
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(editable=False)

    FILE_FIELDS = ("slug", "title", "summary", "body")

    class Meta:
        ordering = ["title"]
        constraints = [_unique_live("slug", name="article_slug_live")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article", args=[self.slug])


class Guide(FileOwned):
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    summary = models.TextField()
    order = models.PositiveIntegerField(default=0)
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(editable=False)

    FILE_FIELDS = ("slug", "title", "summary", "order", "body")

    class Meta:
        ordering = ["order"]
        constraints = [_unique_live("slug", name="guide_slug_live")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guide", args=[self.slug])


class CommonMistake(FileOwned):
    """A mistake everyone makes, whatever the track (mistakes.yaml)."""

    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(editable=False)
    order = models.PositiveIntegerField(default=0)

    FILE_FIELDS = ("slug", "title", "body", "order")

    class Meta:
        ordering = ["order"]
        constraints = [_unique_live("slug", name="mistake_slug_live")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('home')}#mistake-{self.slug}"


class SiteText(FileOwned):
    """The texts of site.yaml; one row."""

    headline = models.CharField(max_length=300)
    intro = models.TextField()
    starting_points_intro = models.TextField()
    tracks_intro = models.TextField()
    timelines_intro = models.TextField()
    mistakes_intro = models.TextField()
    start_intro = models.TextField()
    transitions_guide = models.SlugField(
        max_length=80, blank=True, help_text="The guide a level links to once it is done."
    )

    FILE_FIELDS = (
        "headline",
        "intro",
        "starting_points_intro",
        "tracks_intro",
        "timelines_intro",
        "mistakes_intro",
        "start_intro",
        "transitions_guide",
    )

    class Meta:
        verbose_name = "site text"

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("home")


class DurationUnit(models.TextChoices):
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


class Duration(models.Model):
    """`{min, max, unit}`; an empty max means open-ended ("2+ years")."""

    duration_min = models.DecimalField(max_digits=5, decimal_places=1)
    duration_max = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    duration_unit = models.CharField(max_length=6, choices=DurationUnit)

    class Meta:
        abstract = True

    @property
    def duration_label(self) -> str:
        low = _number(self.duration_min)
        if self.duration_max is None:
            return f"{low}+ {self.duration_unit}"
        high = _number(self.duration_max)
        return (
            f"{low} {self.duration_unit}" if low == high else f"{low}–{high} {self.duration_unit}"
        )


def _number(value) -> str:
    return format(value.normalize(), "f")


class Track(FileOwned, Duration):
    """A career track. Its `duration_*` columns hold the total as commonly *stated* (the file's
    `stated:`); the total the site computes comes from `timeline` and the stages
    (`roadmap.catalog.timeline`)."""

    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    pitch = models.TextField()
    # {"from": level slug or None, "to": level slug, "extras": [{name, after, duration}]}
    timeline = models.JSONField(default=dict, blank=True)
    entry_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    entry_note = models.TextField(blank=True)
    builds_on = models.SlugField(
        max_length=80,
        blank=True,
        help_text="The track to start with when a learner is below the entry level.",
    )

    FILE_FIELDS = (
        "slug",
        "name",
        "order",
        "pitch",
        "duration_min",
        "duration_max",
        "duration_unit",
        "timeline",
        "entry_level_id",
        "entry_note",
        "builds_on",
    )

    class Meta:
        ordering = ["order"]
        constraints = [_unique_live("slug", name="track_slug_live")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("track", args=[self.slug])

    @cached_property
    def page_url(self) -> str:
        """`get_absolute_url`, worked out once: the catalogue keeps its tracks per content
        version (catalogue.py) and every page's track tabs print it twice."""
        return self.get_absolute_url()

    @cached_property
    def road(self):
        """The computed road to the track's title (needs `visible_stages`, as selectors give)."""
        from roadmap.catalog.timeline import track_total  # timeline reads this module's rows

        return track_total(self)


class TrackRedirect(models.Model):
    """An old slug of a renamed track folder, so old links keep working."""

    old_slug = models.SlugField(max_length=80, unique=True)
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.track.slug}"


class StartingPoint(FileOwned):
    title = models.CharField(max_length=300)
    who = models.TextField()
    leads_to = models.TextField()
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.PROTECT)
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.PROTECT)
    order = models.PositiveIntegerField(default=0)

    FILE_FIELDS = ("title", "who", "leads_to", "track_id", "level_id", "order")

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("home")


class Stage(FileOwned, Duration):
    """One level of one track (tracks/<track>/<level>.yaml)."""

    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="stages")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="stages")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)
    summary = models.TextField()
    courses = models.ManyToManyField(Course, through="StageCourse", related_name="stages")

    FILE_FIELDS = (
        "track_id",
        "level_id",
        "source_id",
        "summary",
        "duration_min",
        "duration_max",
        "duration_unit",
    )
    # Why a stage lists more resources than the limit (issue 12), as its file says.
    courses_more_because = models.TextField(blank=True)
    reading_more_because = models.TextField(blank=True)
    FILE_FIELDS += ("courses_more_because", "reading_more_because")

    class Meta:
        ordering = ["track__order", "level__order"]
        constraints = [_unique_live("track", "level", name="stage_track_level_live")]

    def __str__(self) -> str:
        return f"{self.track} · {self.level}"

    def get_absolute_url(self) -> str:
        return reverse("level", args=[self.track.slug, self.level.slug])

    @cached_property
    def page_url(self) -> str:
        """`get_absolute_url`, worked out once: the catalogue keeps its stages per content
        version (catalogue.py), and /timelines/ and the level pager print it."""
        return self.get_absolute_url()


class ItemKind(models.TextChoices):
    SKILL = "skill", "Skill"
    READY_WHEN = "ready_when", "Ready for the next level when"
    PROJECT = "project", "Project"
    MISTAKE = "mistake", "Common mistake"
    EXPECTATION = "expectation", "What companies expect"


class StageItem(FileOwned):
    """One line of a stage's list sections.

    One model with a `kind` rather than five near-identical ones: the sections share every
    column (a project adds `teaches`), progress and search treat them alike, and an item that an
    editor moves between sections or levels keeps its id and therefore its learners' ticks.
    """

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=12, choices=ItemKind)
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(help_text="The item; for a project, its title.")
    teaches = models.TextField(blank=True, help_text="Projects only: what building it teaches.")

    FILE_FIELDS = ("stage_id", "kind", "order", "text", "teaches")

    class Meta:
        ordering = ["stage", "kind", "order"]
        indexes = [models.Index(fields=["stage", "kind", "order"])]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return f"{self.stage.get_absolute_url()}#item-{self.content_id}"


class StageCourse(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="course_links")
    course = models.ForeignKey(Course, on_delete=models.PROTECT)
    order = models.PositiveIntegerField(default=0)
    label = resource_label_field()

    class Meta:
        ordering = ["order"]


class StageReading(models.Model):
    """A stage's reading: an external text or one of our own articles (exactly one of the two)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="reading_links")
    reading = models.ForeignKey(Reading, null=True, blank=True, on_delete=models.PROTECT)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.PROTECT)
    order = models.PositiveIntegerField(default=0)
    label = resource_label_field()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reading__isnull=True) ^ Q(article__isnull=True),
                name="stage_reading_one_target",
            )
        ]


class Question(FileOwned):
    """A question of the /start/ questionnaire (questionnaire.yaml)."""

    slug = models.SlugField(max_length=80)
    text = models.CharField(max_length=300)
    help = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    FILE_FIELDS = ("slug", "text", "help", "order")

    class Meta:
        ordering = ["order"]
        constraints = [_unique_live("slug", name="question_slug_live")]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("start")


class AnswerOption(FileOwned):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="options")
    slug = models.SlugField(max_length=80)
    label = models.CharField(max_length=300)
    reason = models.TextField(blank=True, help_text="Why the level this answer implies fits.")
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.PROTECT)
    scores = models.JSONField(default=dict, blank=True, help_text="Points per track slug.")
    reasons = models.JSONField(
        default=dict, blank=True, help_text="Why this answer counts for a track, per track slug."
    )
    serves = models.JSONField(
        default=list, blank=True, help_text="The only track slugs that may be recommended."
    )
    order = models.PositiveIntegerField(default=0)

    FILE_FIELDS = (
        "question_id",
        "slug",
        "label",
        "reason",
        "level_id",
        "scores",
        "reasons",
        "serves",
        "order",
    )

    class Meta:
        ordering = ["question__order", "order"]

    def __str__(self) -> str:
        return self.label


class SearchSynonym(FileOwned):
    """Words learners type for a term the content uses (search_synonyms.yaml): a search for
    `k8s` also finds what says Kubernetes."""

    slug = models.SlugField(max_length=80)
    term = models.CharField(max_length=300, help_text="The word or phrase the content uses.")
    also = models.JSONField(default=list, help_text="What learners type for it.")
    order = models.PositiveIntegerField(default=0)

    FILE_FIELDS = ("slug", "term", "also", "order")

    class Meta:
        ordering = ["order"]
        constraints = [_unique_live("slug", name="search_synonym_slug_live")]

    def __str__(self) -> str:
        return self.term


class ContentLoad(models.Model):
    """One run of `load_content` that wrote to the database."""

    started_at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=200, help_text="The command or user that ran the load.")
    git_commit = models.CharField(max_length=40, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    retired = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    discarded_admin_edits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} by {self.actor}"


class ChangeAction(models.TextChoices):
    ADDED = "added", "added"
    CHANGED = "changed", "changed"
    RETIRED = "retired", "retired"


class ContentChange(models.Model):
    """One row a content load added, changed or retired, kept for "what changed" pages and feeds.

    Where it was (track and level) and what it was called are copied as they were at the load,
    so the record still reads right after the item moves, is renamed or is retired.
    """

    load = models.ForeignKey(ContentLoad, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=60, help_text="The kind of row, e.g. stage item, course.")
    item_kind = models.CharField(max_length=12, blank=True, help_text="Stage items: the section.")
    content_id = models.CharField("id", max_length=32)
    title = models.CharField(max_length=300)
    action = models.CharField(max_length=7, choices=ChangeAction)
    fields = models.JSONField(default=list, blank=True, help_text="Changed: the fields.")
    reworded = models.BooleanField(default=False, help_text="Its wording (text) changed.")
    track_content_id = models.CharField(max_length=32, blank=True)
    track_slug = models.SlugField(max_length=80, blank=True)
    track_name = models.CharField(max_length=300, blank=True)
    level_slug = models.SlugField(max_length=80, blank=True)
    level_name = models.CharField(max_length=300, blank=True)
    level_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["load", "track_name", "level_order", "model", "item_kind", "pk"]
        indexes = [models.Index(fields=["track_content_id", "load"])]

    def __str__(self) -> str:
        return f"{self.action}: {self.model} {self.title}"


class AdminDeletion(models.Model):
    """A row that came from the files and was deleted in admin.

    The files still hold it, so without this record the next load would quietly create it again
    and `export_content` could not tell it from a row an editor just added. The next load stops on
    it (like any admin edit); `export_content --retire-deleted` removes it from the files, after
    which a load forgets the record.
    """

    model = models.CharField(max_length=60, help_text="The model's label, e.g. catalog.course.")
    content_id = models.CharField("id", max_length=32)
    label = models.CharField(max_length=300, help_text="What the row was called.")
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deleted_at"]
        constraints = [
            models.UniqueConstraint(fields=["model", "content_id"], name="admin_deletion_once")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.content_id})"


def admin_deletion_record(sender, instance, **kwargs) -> None:
    """post_delete receiver (connected in apps.py) for every file-owned model."""
    if instance.loaded_values and not instance.retired:
        AdminDeletion.objects.get_or_create(
            model=sender._meta.label_lower,
            content_id=instance.content_id,
            defaults={"label": str(instance)[:300]},
        )
