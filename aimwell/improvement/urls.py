"""Routes of the nonconformities and actions pages (under /operations/, as before the split)."""

from django.urls import path

from aimwell.improvement import views

app_name = "improvement"
P = "operations/"

urlpatterns = [
    path(P + "nonconformities/", views.nonconformities, name="ncs"),
    path(P + "nonconformities/new/", views.nonconformity_new, name="nc-new"),
    path(P + "nonconformities/<uuid:pk>/", views.nonconformity, name="nonconformity"),
    path(P + "nonconformities/<uuid:pk>/edit/", views.nonconformity_edit, name="nc-edit"),
    path(P + "nonconformities/<uuid:pk>/<slug:step>/", views.nonconformity_step, name="nc-step"),
    path(P + "actions/", views.actions, name="actions"),
    path(P + "actions/<uuid:pk>/", views.action, name="action"),
    path(P + "actions/<uuid:pk>/<slug:step>/", views.action_step, name="action-step"),
]
