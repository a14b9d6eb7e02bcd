from django.urls import path

from aimwell.catalog import views

app_name = "catalog"
urlpatterns = [
    path("catalog/", views.index, name="index"),
    path("catalog/search/", views.search_page, name="search"),
    path("catalog/pick/", views.pick, name="pick"),
    path("catalog/import/", views.import_page, name="import"),
    path("catalog/f/<str:urn>/", views.framework, name="framework"),
    path("catalog/f/<str:urn>/export/<str:fmt>/", views.export, name="export"),
    path("catalog/n/<str:urn>/", views.node, name="node"),
]
