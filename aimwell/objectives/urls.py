"""Routes of the AI objectives pages (under /operations/, where they have always been)."""

from django.urls import path

from aimwell.objectives import views

app_name = "objectives"
P = "operations/"

urlpatterns = [
    path(P + "objectives/", views.objectives_list, name="objectives"),
    path(P + "objectives/new/", views.objective_new, name="objective-new"),
    path(P + "objectives/<uuid:pk>/", views.objective, name="objective"),
    path(P + "objectives/<uuid:pk>/edit/", views.objective_edit, name="objective-edit"),
]
