"""Routes of the training pages (under /operations/, where they have always been)."""

from django.urls import path

from aimwell.competence import views

app_name = "competence"
P = "operations/"

urlpatterns = [
    path(P + "training/", views.training_home, name="training"),
    path(P + "training/courses/new/", views.course_new, name="course-new"),
    path(P + "training/courses/<uuid:pk>/edit/", views.course_edit, name="course-edit"),
    path(P + "training/matrix/", views.training_matrix, name="training-matrix"),
    path(P + "training/courses/<uuid:pk>/", views.course, name="course"),
]
