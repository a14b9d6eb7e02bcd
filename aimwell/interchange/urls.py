from django.urls import path

from aimwell.interchange import views

app_name = "interchange"
urlpatterns = [
    path("oscal/<str:kind>/", views.download, name="oscal"),
]
