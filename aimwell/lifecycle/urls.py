from django.urls import path

from aimwell.lifecycle import views, views_changes

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
    path("changes/", views_changes.change_list, name="changes"),
    path("changes/new/", views_changes.change_new, name="change-new"),
    path("changes/<uuid:change_id>/", views_changes.change_detail, name="change"),
    path("changes/<uuid:change_id>/edit/", views_changes.change_edit, name="change-edit"),
    path(
        "changes/<uuid:change_id>/<str:action>/", views_changes.change_action, name="change-action"
    ),
]
