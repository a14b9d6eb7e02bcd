"""Routes of the management reviews pages (under /operations/, where they have always been)."""

from django.urls import path

from aimwell.management_review import views

app_name = "management_review"
P = "operations/"

urlpatterns = [
    path(P + "reviews/", views.reviews_list, name="reviews"),
    path(P + "reviews/new/", views.review_new, name="review-new"),
    path(P + "reviews/<uuid:pk>/", views.review, name="review"),
    path(P + "reviews/<uuid:pk>/<slug:step>/", views.review_step, name="review-step"),
]
