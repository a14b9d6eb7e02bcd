from django.urls import path

from aimwell.classification import views

app_name = "classification"
urlpatterns = [
    path("ai-systems/<uuid:system_id>/classify/", views.classify_page, name="classify"),
]
