from django.urls import path

from . import feeds, views

app_name = "changes"

urlpatterns = [
    path("changes/", views.changes_page, name="list"),
    path("changes.atom", feeds.SiteChangesFeed(), name="feed"),
    path("tracks/<slug:track>/changes.atom", feeds.TrackChangesFeed(), name="track_feed"),
]
