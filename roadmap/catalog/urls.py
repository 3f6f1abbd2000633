from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.generic import RedirectView

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("tracks/<slug:track>/", views.track_detail, name="track"),
    path("tracks/<slug:track>/<slug:level>/", views.level_detail, name="level"),
    path("timelines/", views.timelines, name="timelines"),
    path("courses/", views.courses, name="courses"),
    path("reading/", views.reading, name="reading"),
    path("articles/", RedirectView.as_view(pattern_name="reading", permanent=True)),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("guides/", views.guide_index, name="guides"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
