"""The route of the operations overview: /operations/ (each domain app has its own routes)."""

from django.urls import path

from aimwell.operations import views

app_name = "operations"

urlpatterns = [
    path("operations/", views.home, name="home"),
]
