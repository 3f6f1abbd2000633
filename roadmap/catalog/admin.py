"""Django admin for curation.

Admins mostly use the curation fields (published, featured, editorial note), which loads never
touch. They may also fix file-owned fields in an emergency: the next `load_content` notices and
refuses to overwrite such edits until they are exported to the files or explicitly discarded.
"""

from django.contrib import admin

from . import models as m

CURATION = ("published", "featured", "editorial_note")
CURATION_FILTERS = ("published", "featured", "retired")


class FileOwnedAdmin(admin.ModelAdmin):
    readonly_fields = ("content_id", "retired")
    list_filter = CURATION_FILTERS
    list_editable = ("published", "featured")

    def get_fieldsets(self, request, obj=None):
        owned = [f for f in self.model.FILE_FIELDS if not f.endswith("_id")]
        owned += [f.removesuffix("_id") for f in self.model.FILE_FIELDS if f.endswith("_id")]
        return [
            ("From the content files", {"fields": ["content_id", "retired", *owned]}),
            ("Curation (admin only, never changed by a load)", {"fields": list(CURATION)}),
        ]


class SluggedAdmin(FileOwnedAdmin):
    list_display = ("__str__", "slug", "published", "featured", "retired")
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
    list_display = ("title", "provider", "kind", "cost", "published", "featured", "retired")
    list_filter = ("kind", "cost", *CURATION_FILTERS)
    search_fields = ("slug", "title", "provider", "summary", "url")
    ordering = ("order",)


@admin.register(m.Reading)
class ReadingAdmin(SluggedAdmin):
    list_display = ("title", "author", "kind", "cost", "published", "featured", "retired")
    list_filter = ("kind", "cost", *CURATION_FILTERS)
    search_fields = ("slug", "title", "author", "summary", "url")


@admin.register(m.Article)
class ArticleAdmin(SluggedAdmin):
    search_fields = ("slug", "title", "summary", "body")


@admin.register(m.Guide)
class GuideAdmin(SluggedAdmin):
    list_display = ("title", "order", "published", "featured", "retired")
    search_fields = ("slug", "title", "summary", "body")
    ordering = ("order",)


@admin.register(m.CommonMistake)
class CommonMistakeAdmin(SluggedAdmin):
    search_fields = ("slug", "title", "body")


@admin.register(m.SiteText)
class SiteTextAdmin(FileOwnedAdmin):
    list_display = ("headline", "published", "retired")
    list_editable = ("published",)


@admin.register(m.StartingPoint)
class StartingPointAdmin(FileOwnedAdmin):
    list_display = ("title", "track", "level", "published", "featured", "retired")
    search_fields = ("title", "who", "leads_to")


class StageInline(admin.TabularInline):
    model = m.Stage
    fields = ("level", "duration_min", "duration_max", "duration_unit", "source", "published")
    show_change_link = True
    extra = 0
    ordering = ("level__order",)


@admin.register(m.Track)
class TrackAdmin(SluggedAdmin):
    list_display = ("name", "slug", "order", "published", "featured", "retired")
    search_fields = ("slug", "name", "pitch")
    ordering = ("order",)
    inlines = [StageInline]


class StageItemInline(admin.TabularInline):
    model = m.StageItem
    fields = ("kind", "order", "text", "teaches", "published", "retired")
    readonly_fields = ("retired",)
    extra = 0
    ordering = ("kind", "order")


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
    list_editable = ("published",)
    search_fields = ("track__name", "level__name", "summary", "content_id")
    list_select_related = ("track", "level")
    ordering = ("track__order", "level__order")
    inlines = [StageItemInline, StageCourseInline, StageReadingInline]


@admin.register(m.StageItem)
class StageItemAdmin(FileOwnedAdmin):
    list_display = ("text", "kind", "stage", "published", "featured", "retired")
    list_filter = ("kind", "stage__track", "stage__level", *CURATION_FILTERS)
    search_fields = ("text", "teaches", "content_id")
    list_select_related = ("stage__track", "stage__level")
    ordering = ("stage__track__order", "stage__level__order", "kind", "order")


@admin.register(m.ContentLoad)
class ContentLoadAdmin(admin.ModelAdmin):
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


@admin.register(m.TrackRedirect)
class TrackRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_slug", "track")
    search_fields = ("old_slug",)


class AnswerOptionInline(admin.TabularInline):
    model = m.AnswerOption
    fields = ("order", "slug", "label", "reason", "level", "scores", "published", "retired")
    readonly_fields = ("retired",)
    extra = 0


@admin.register(m.Question)
class QuestionAdmin(SluggedAdmin):
    list_display = ("text", "order", "published", "featured", "retired")
    search_fields = ("slug", "text")
    ordering = ("order",)
    inlines = [AnswerOptionInline]
