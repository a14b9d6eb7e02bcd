from django.urls import path

from aimwell.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.home, name="home"),
    path("monitoring/monitors/new/", views.monitor_form, name="monitor-new"),
    path("monitoring/monitors/<uuid:monitor_id>/", views.monitor_detail, name="monitor"),
    path("monitoring/monitors/<uuid:monitor_id>/edit/", views.monitor_form, name="monitor-edit"),
    path(
        "monitoring/monitors/<uuid:monitor_id>/upload/", views.monitor_upload, name="monitor-upload"
    ),
    path("monitoring/monitors/<uuid:monitor_id>/run/", views.monitor_run, name="monitor-run"),
    path(
        "monitoring/monitors/<uuid:monitor_id>/reference/",
        views.monitor_reference,
        name="monitor-reference",
    ),
    path("monitoring/runs/<uuid:run_id>/", views.run_detail, name="run"),
    path("monitoring/runs/<uuid:run_id>/result.json", views.run_result, name="run-result"),
    path("monitoring/compare/", views.compare, name="compare"),
    path(
        "monitoring/notifications/<uuid:notification_id>/read/",
        views.notification_read,
        name="notification-read",
    ),
]
