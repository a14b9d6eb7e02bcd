from django.urls import path

from aimwell.evidence import views

app_name = "evidence"
urlpatterns = [
    path("evidence/", views.home, name="home"),
    path("evidence/add/", views.add, name="add"),
    path("evidence/pick/", views.pick, name="pick"),
    path("evidence/pick-target/", views.pick_target, name="pick-target"),
    path("evidence/requests/", views.requests_page, name="requests"),
    path("evidence/requests/<uuid:pk>/<slug:action>/", views.request_action, name="request-action"),
    path("evidence/packs/", views.packs_page, name="packs"),
    path("evidence/packs/<uuid:pk>/download/", views.pack_download, name="pack-download"),
    path("evidence/<uuid:pk>/", views.detail, name="detail"),
    path("evidence/<uuid:pk>/download/", views.download, name="download"),
    path("evidence/<uuid:pk>/edit/", views.edit, name="edit"),
    path("evidence/<uuid:pk>/verify/", views.verify, name="verify"),
    path("evidence/<uuid:pk>/retire/", views.retire, name="retire"),
    path("evidence/<uuid:pk>/links/", views.add_link, name="link-add"),
    path("evidence/<uuid:pk>/links/<uuid:link_id>/remove/", views.remove_link, name="link-remove"),
]
