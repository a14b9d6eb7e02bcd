"""Routes of the incidents and concerns pages (under /operations/, where they have always been)."""

from django.urls import path

from aimwell.incidents import views

app_name = "incidents"
P = "operations/"

urlpatterns = [
    path(P + "incidents/", views.incidents_list, name="incidents"),
    path(P + "incidents/new/", views.incident_new, name="incident-new"),
    path(P + "incidents/<uuid:pk>/", views.incident, name="incident"),
    path(P + "incidents/<uuid:pk>/<slug:step>/", views.incident_step, name="incident-step"),
    path(P + "concerns/", views.concerns, name="concerns"),
    path(P + "concerns/report/", views.concern_report, name="concern-report"),
    path(P + "concerns/mine/", views.concerns_mine, name="concerns-mine"),
    path(P + "concerns/<uuid:pk>/", views.concern, name="concern"),
]
