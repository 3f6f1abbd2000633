from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tracks/<slug:track>/", views.track_detail, name="track"),
]
