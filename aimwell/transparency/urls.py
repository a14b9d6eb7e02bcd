from django.urls import path

from aimwell.transparency import views, views_public

app_name = "transparency"
urlpatterns = [
    path("transparency/", views.home, name="home"),
    path("transparency/settings/", views.settings_page, name="settings"),
    path("transparency/systems/<uuid:system_id>/", views.card, name="card"),
    path(
        "transparency/systems/<uuid:system_id>/card.<str:fmt>",
        views.card_download,
        name="card-download",
    ),
    path("transparency/systems/<uuid:system_id>/publish/", views.card_publish, name="publish"),
    path("transparency/systems/<uuid:system_id>/edit/", views.card_edit, name="card-edit"),
    # Public, no sign-in: only enabled pages and chosen, published cards.
    path("public/<slug:slug>/", views_public.page, name="public"),
    path("public/<slug:slug>/concerns/", views_public.concern, name="public-concern"),
    path("public/<slug:slug>/systems/<slug:card_slug>/", views_public.card, name="public-card"),
]
