from django.urls import path

from aimwell.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.home, name="home"),
    path("reports/certification-pack/build/", views.build, name="build"),
    path("reports/certification-pack/<uuid:pk>/download/", views.download, name="download"),
]
