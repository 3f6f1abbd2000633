from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("roadmap.catalog.urls")),
    path("", include("roadmap.progress.urls")),
    path("", include("roadmap.changes.urls")),
    path("", include("roadmap.start.urls")),
    path("", include("roadmap.plan.urls")),
    path("", include("roadmap.search.urls")),
]

handler404 = "roadmap.catalog.views.page_not_found"
