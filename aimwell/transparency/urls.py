from django.urls import URLPattern

app_name = "transparency"
urlpatterns: list[URLPattern] = []
