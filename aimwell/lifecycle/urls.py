from django.urls import path

from aimwell.lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("lifecycle/", views.index, name="index"),
    path("lifecycle/systems/<uuid:system_id>/", views.system, name="system"),
    path(
        "lifecycle/systems/<uuid:system_id>/deployment/approve/",
        views.approve_deployment,
        name="approve",
    ),
    path(
        "lifecycle/systems/<uuid:system_id>/<str:kind>/edit/", views.record_edit, name="record-edit"
    ),
    path(
        "lifecycle/systems/<uuid:system_id>/<str:kind>/approve/",
        views.record_approve,
        name="record-approve",
    ),
    path("lifecycle/systems/<uuid:system_id>/vv/<str:action>/", views.vv_action, name="vv"),
]
