"""Routes of the governance pages beyond the registers; they keep their /context/ paths (the
registers themselves are routed by the context app as `context:<key>...`)."""

from django.urls import path

from aimwell.governance import views

app_name = "governance"

urlpatterns = [
    path("context/raci/", views.raci_matrix, name="raci"),
    path("context/raci/set/", views.raci_set, name="raci-set"),
    path("context/oversight-bodies/<uuid:pk>/meetings/new/", views.meeting_new, name="meeting-new"),
    path(
        "context/oversight-bodies/<uuid:pk>/decisions/new/",
        views.decision_new,
        name="decision-new",
    ),
    path("context/principles/<uuid:pk>/links/", views.principle_link, name="principle-link"),
    path("context/principles/<uuid:pk>/links/pick/", views.principle_pick, name="principle-pick"),
    path(
        "context/principles/<uuid:pk>/links/<uuid:link_id>/remove/",
        views.principle_unlink,
        name="principle-unlink",
    ),
    path("context/meetings/<uuid:pk>/", views.meeting_detail, name="meeting"),
    path("context/meetings/<uuid:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("context/decisions/<uuid:pk>/edit/", views.decision_edit, name="decision-edit"),
]
