from django.urls import path

from aimwell.inventory import views

app_name = "inventory"
urlpatterns = [
    path("ai-systems/", views.systems, name="systems"),
    path("ai-systems/new/", views.system_form, name="system-new"),
    path("ai-systems/import/", views.import_page, name="import"),
    path("ai-systems/export/", views.export, name="export"),
    path("ai-systems/pick/", views.system_pick, name="system-pick"),
    path("ai-systems/<uuid:system_id>/", views.system_detail, name="system"),
    path("ai-systems/<uuid:system_id>/edit/", views.system_form, name="system-edit"),
    path("ai-systems/<uuid:system_id>/resources/", views.resource_add, name="resource-add"),
    path("ai-systems/<uuid:system_id>/pick/<str:kind>/", views.link_pick, name="link-pick"),
    path(
        "ai-systems/<uuid:system_id>/<str:kind>/<str:action>/",
        views.system_link,
        name="system-link",
    ),
    path("review-flags/<uuid:flag_id>/resolve/", views.review_resolve, name="review-resolve"),
    path("inventory/<str:kind>/", views.register_list, name="list"),
    path("inventory/<str:kind>/new/", views.register_form, name="new"),
    path("inventory/<str:kind>/<uuid:obj_id>/", views.register_detail, name="detail"),
    path("inventory/<str:kind>/<uuid:obj_id>/edit/", views.register_form, name="edit"),
    path("inventory/models/<uuid:obj_id>/versions/", views.model_version, name="model-version"),
]
