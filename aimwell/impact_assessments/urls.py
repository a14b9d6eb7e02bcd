from django.urls import path

from aimwell.impact_assessments import views

app_name = "impact_assessments"
urlpatterns = [
    path("impact-assessments/", views.assessments, name="list"),
    path("impact-assessments/new/", views.assessment_new, name="new"),
    path("impact-assessments/<uuid:assessment_id>/", views.assessment_detail, name="detail"),
    path("impact-assessments/<uuid:assessment_id>/edit/", views.assessment_edit, name="edit"),
    path(
        "impact-assessments/<uuid:assessment_id>/approve/",
        views.assessment_approve,
        name="approve",
    ),
    path(
        "impact-assessments/<uuid:assessment_id>/risks/",
        views.assessment_to_risk,
        name="risk",
    ),
]
