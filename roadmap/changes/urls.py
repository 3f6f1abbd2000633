from django.urls import path

from roadmap.ops.page_cache import shared_page

from . import feeds, views

app_name = "changes"

urlpatterns = [
    path("changes/", views.changes_page, name="list"),
    path("changes.atom", shared_page()(feeds.SiteChangesFeed()), name="feed"),
    path(
        "tracks/<slug:track>/changes.atom",
        shared_page()(feeds.TrackChangesFeed()),
        name="track_feed",
    ),
]
