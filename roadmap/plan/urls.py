from django.urls import path

from . import views

app_name = "plan"

urlpatterns = [
    path("plan/", views.plan_page, name="plan"),
    path("plan/week.ics", views.week_ics, name="ics"),
    path("plan/week.md", views.week_markdown, name="markdown"),
    path("plan/pace/", views.pace_remember, name="remember"),
]
