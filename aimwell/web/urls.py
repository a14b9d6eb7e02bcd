from django.urls import path

from aimwell.web import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
