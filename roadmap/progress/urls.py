from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("progress/", views.progress_page, name="page"),
    path("progress/items/<slug:item_id>/", views.tick, name="tick"),
    path("progress/levels/<slug:stage_id>/ticks/", views.ticks_save, name="ticks"),
    path("progress/levels/<slug:stage_id>/note/", views.note_save, name="note"),
    path("progress/reset/", views.reset, name="reset"),
    path("progress/import/", views.import_file, name="import"),
    path("progress/link/", views.link_create, name="link_create"),
    path("progress/link/revoke/", views.link_revoke, name="link_revoke"),
    path("progress/link/open/", views.link_confirm, name="link_confirm"),
    path("progress/link/<str:token>/", views.link_open, name="link_open"),
    path("progress/brag-document.md", views.export_markdown, name="export_markdown"),
    path("progress/progress.json", views.export_json, name="export_json"),
]
