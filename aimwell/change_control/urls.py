from django.urls import path

from aimwell.change_control import views

app_name = "change_control"
urlpatterns = [
    path("changes/", views.change_list, name="list"),
    path("changes/new/", views.change_new, name="new"),
    path("changes/<uuid:change_id>/", views.change_detail, name="detail"),
    path("changes/<uuid:change_id>/edit/", views.change_edit, name="edit"),
    path("changes/<uuid:change_id>/<str:action>/", views.change_action, name="action"),
]
