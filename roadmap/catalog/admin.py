"""Django admin for curation.

Admins mostly use the curation fields (published, editorial note), which loads never touch. They
may also fix file-owned fields: the forms check them with the files' own rules (admin_forms.py),
the next `load_content` notices the edit and refuses to overwrite it, and `export_content` writes
it into the files for a pull request. The Content loads page lists the edits not in the files yet.

What says *where* a row lives in the files (a track's folder, a stage's level, an item's place in
its list) is read-only here: moving things is an editor's change to the files.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html

from roadmap.content.columns import PLACED
from roadmap.content.export_map import ROW_MAPS, STAGE_SECTIONS, expected_file
from roadmap.content.exporter import admin_edits_pending

from . import models as m
from .admin_forms import FileRulesForm

CURATION = ("published", "editorial_note")
EDIT_BRANCH = getattr(settings, "REPOSITORY_BRANCH", "main")


class RetiredFilter(admin.SimpleListFilter):
    """Retired rows (gone from the files) are hidden unless asked for."""

    title = "in the files"
    parameter_name = "retired"

    def lookups(self, request, model_admin):
        return [("yes", "Retired (gone from the files)"), ("all", "All")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(retired=True)
        if self.value() == "all":
            return queryset
        return queryset.filter(retired=False)

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Live (in the files)",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


CURATION_FILTERS = ("published", RetiredFilter)


def placed_fields(model) -> tuple[str, ...]:
    """Form names of the columns that say where a row lives in the files."""
    row_map = ROW_MAPS[model]
    return tuple(f.column.removesuffix("_id") for f in row_map.fields if f.kind == PLACED)


def source_file_link(obj) -> str:
    """The row's content file, linked to the repository when REPOSITORY_URL is set."""
    if obj is None or obj.pk is None:
        return "-"
    path = f"content/{expected_file(obj).as_posix()}"
    if not settings.REPOSITORY_URL:
        return path
    url = f"{settings.REPOSITORY_URL.rstrip('/')}/blob/{EDIT_BRANCH}/{path}"
    return format_html('<a href="{}">{}</a>', url, path)


class FileOwnedAdmin(admin.ModelAdmin):
    form = FileRulesForm
    list_filter = CURATION_FILTERS
    list_editable = ("published",)

    def get_readonly_fields(self, request, obj=None):
        placed = placed_fields(self.model) if obj is not None else ()
        return ("content_id", "retired", "source_file", *placed)

    @admin.display(description="Source file")
    def source_file(self, obj):
        return source_file_link(obj)

    def get_fieldsets(self, request, obj=None):
        owned = [f for f in self.model.FILE_FIELDS if not f.endswith("_id")]
        owned += [f.removesuffix("_id") for f in self.model.FILE_FIELDS if f.endswith("_id")]
        return [
            (
                "From the content files",
                {"fields": ["content_id", "source_file", "retired", *owned]},
            ),
            ("Curation (admin only, never changed by a load)", {"fields": list(CURATION)}),
        ]


class SluggedAdmin(FileOwnedAdmin):
    list_display = ("__str__", "slug", "published", "retired")
    search_fields = ("slug", "content_id")


@admin.register(m.Level)
class LevelAdmin(SluggedAdmin):
    search_fields = ("slug", "name")
    ordering = ("order",)


@admin.register(m.Source)
class SourceAdmin(SluggedAdmin):
    search_fields = ("slug", "name", "url")


@admin.register(m.Course)
class CourseAdmin(SluggedAdmin):
    list_display = ("title", "provider", "kind", "cost", "published", "retired")
    list_filter = ("kind", "cost", *CURATION_FILTERS)
    search_fields = ("slug", "title", "provider", "summary", "url")
    ordering = ("order",)


@admin.register(m.Reading)
class ReadingAdmin(SluggedAdmin):
    list_display = ("title", "author", "kind", "cost", "published", "retired")
    list_filter = ("kind", "cost", *CURATION_FILTERS)
    search_fields = ("slug", "title", "author", "summary", "url")


@admin.register(m.Article)
class ArticleAdmin(SluggedAdmin):
    search_fields = ("slug", "title", "summary", "body")


@admin.register(m.Guide)
class GuideAdmin(SluggedAdmin):
    list_display = ("title", "order", "published", "retired")
    search_fields = ("slug", "title", "summary", "body")
    ordering = ("order",)


@admin.register(m.CommonMistake)
class CommonMistakeAdmin(SluggedAdmin):
    search_fields = ("slug", "title", "body")


@admin.register(m.SearchSynonym)
class SearchSynonymAdmin(SluggedAdmin):
    list_display = ("term", "slug", "published", "retired")
    search_fields = ("slug", "term")
    ordering = ("order",)


@admin.register(m.SiteText)
class SiteTextAdmin(FileOwnedAdmin):
    list_display = ("headline", "published", "retired")


@admin.register(m.StartingPoint)
class StartingPointAdmin(FileOwnedAdmin):
    list_display = ("title", "track", "level", "published", "retired")
    search_fields = ("title", "who", "leads_to")


class StageInline(admin.TabularInline):
    model = m.Stage
    form = FileRulesForm
    fields = ("level", "duration_min", "duration_max", "duration_unit", "source", "published")
    readonly_fields = ("level",)  # a stage's level is its file name
    show_change_link = True
    extra = 0
    ordering = ("level__order",)

    def has_add_permission(self, request, obj=None):
        return False  # add a stage from the stage list, where its track and level are chosen

    def get_queryset(self, request):
        return super().get_queryset(request).filter(retired=False)


@admin.register(m.Track)
class TrackAdmin(SluggedAdmin):
    list_display = ("name", "slug", "order", "published", "retired")
    search_fields = ("slug", "name", "pitch")
    ordering = ("order",)
    inlines = [StageInline]


SITE_ORDER = Case(
    *(When(kind=kind, then=Value(n)) for n, kind in enumerate(STAGE_SECTIONS.values())),
    output_field=IntegerField(),
)


class StageItemInline(admin.TabularInline):
    """A stage's items grouped by section in the order the level page shows them."""

    model = m.StageItem
    form = FileRulesForm
    fields = ("kind", "order", "text", "teaches", "published", "retired")
    readonly_fields = ("order", "retired")
    extra = 0

    def get_queryset(self, request):
        rows = super().get_queryset(request).filter(retired=False)
        return rows.alias(section=SITE_ORDER).order_by("section", "order")


class StageCourseInline(admin.TabularInline):
    model = m.StageCourse
    autocomplete_fields = ("course",)
    extra = 0


class StageReadingInline(admin.TabularInline):
    model = m.StageReading
    autocomplete_fields = ("reading", "article")
    extra = 0


@admin.register(m.Stage)
class StageAdmin(FileOwnedAdmin):
    list_display = ("__str__", "track", "level", "duration_label", "published", "retired")
    list_filter = ("track", "level", *CURATION_FILTERS)
    search_fields = ("track__name", "level__name", "summary", "content_id")
    list_select_related = ("track", "level")
    ordering = ("track__order", "level__order")
    inlines = [StageItemInline, StageCourseInline, StageReadingInline]


@admin.register(m.StageItem)
class StageItemAdmin(FileOwnedAdmin):
    list_display = ("text", "kind", "stage", "published", "retired")
    list_filter = ("kind", "stage__track", "stage__level", *CURATION_FILTERS)
    search_fields = ("text", "teaches", "content_id")
    list_select_related = ("stage__track", "stage__level")
    ordering = ("stage__track__order", "stage__level__order", "kind", "order")


class ContentChangeInline(admin.TabularInline):
    """What the load added, changed and retired, as learners are told (roadmap/changes/)."""

    model = m.ContentChange
    fields = ("action", "model", "item_kind", "title", "fields", "track_name", "level_name")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.ContentLoad)
class ContentLoadAdmin(admin.ModelAdmin):
    """The loads so far, and above them the admin edits the next load would stop on."""

    inlines = [ContentChangeInline]

    list_display = (
        "started_at",
        "actor",
        "git_commit",
        "created",
        "updated",
        "retired",
        "unchanged",
    )
    readonly_fields = [f.name for f in m.ContentLoad._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        context = {"pending_edits": admin_edits_pending(), **(extra_context or {})}
        return super().changelist_view(request, context)


@admin.register(m.AdminDeletion)
class AdminDeletionAdmin(admin.ModelAdmin):
    """Rows deleted in admin that the files may still hold (see export_content)."""

    list_display = ("label", "model", "content_id", "deleted_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.TrackRedirect)
class TrackRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_slug", "track")
    search_fields = ("old_slug",)


class AnswerOptionInline(admin.TabularInline):
    model = m.AnswerOption
    form = FileRulesForm
    fields = ("order", "slug", "label", "reason", "level", "scores", "published", "retired")
    readonly_fields = ("order", "retired")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).filter(retired=False)


@admin.register(m.Question)
class QuestionAdmin(SluggedAdmin):
    list_display = ("text", "order", "published", "retired")
    search_fields = ("slug", "text")
    ordering = ("order",)
    inlines = [AnswerOptionInline]
