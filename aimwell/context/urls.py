"""Routes of context and scope pages under /context/, and of every register the context pages
serve (governance's included: `pages.PAGES` is complete once the apps are ready)."""

from django.urls import path

from aimwell.context import views, views_scope
from aimwell.context.pages import PAGES

app_name = "context"

urlpatterns = [
    path("context/", views.home, name="home"),
    path("context/ai-roles/", views.ai_roles, name="ai-roles"),
    path("context/legal/<uuid:pk>/applies/", views.legal_applies, name="legal-applies"),
    path(
        "context/legal/<uuid:pk>/applies/<uuid:system_id>/remove/",
        views.legal_unapplies,
        name="legal-unapplies",
    ),
    path("context/scope/", views_scope.scope, name="scope"),
    path("context/scope/draft/", views_scope.scope_draft, name="scope-draft"),
    path("context/scope/draft/start/", views_scope.scope_start, name="scope-start"),
    path("context/scope/draft/regenerate/", views_scope.scope_regenerate, name="scope-regenerate"),
    path("context/scope/draft/approve/", views_scope.scope_approve, name="scope-approve"),
    path("context/scope/draft/discard/", views_scope.scope_discard, name="scope-discard"),
    path("context/scope/preview/", views_scope.scope_preview, name="scope-preview"),
    path("context/scope/v/<int:number>/", views_scope.scope_version, name="scope-version"),
]

for _page in PAGES.values():
    _k = {"key": _page.key}
    _base = f"context/{_page.slug}/"
    urlpatterns += [
        path(_base, views.register_list, _k, name=_page.key),
        path(f"{_base}new/", views.register_new, _k, name=f"{_page.key}-new"),
        path(f"{_base}export.csv", views.register_export, _k, name=f"{_page.key}-export"),
        path(f"{_base}<uuid:pk>/", views.register_detail, _k, name=f"{_page.key}-detail"),
        path(f"{_base}<uuid:pk>/edit/", views.register_edit, _k, name=f"{_page.key}-edit"),
    ]
    if _page.delete is not None:
        urlpatterns.append(
            path(f"{_base}<uuid:pk>/delete/", views.register_delete, _k, name=f"{_page.key}-delete")
        )
