from django.urls import path

from aimwell.controls import views, views_readiness

app_name = "controls"
urlpatterns = [
    path("soa/", views.home, name="home"),
    path("soa/export/", views.export, name="export"),
    path("soa/own-controls/new/", views.custom_new, name="custom-new"),
    path("soa/versions/", views.versions, name="versions"),
    path("soa/versions/<uuid:version_id>/", views.version, name="version"),
    path("soa/versions/<uuid:version_id>/approve/", views.version_approve, name="version-approve"),
    path("soa/controls/<str:key>/", views.entry, name="entry"),
    path("readiness/", views_readiness.readiness_page, name="readiness"),
    path("readiness/snapshot/", views_readiness.snapshot, name="snapshot"),
    path("readiness/override/<str:ref>/", views_readiness.override, name="override"),
    path("baseline/", views_readiness.baseline, name="baseline"),
    path("baseline/<str:ref>/", views_readiness.baseline_record, name="baseline-record"),
]
