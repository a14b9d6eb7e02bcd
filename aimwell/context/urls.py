"""Routes of context, governance and scope pages under /context/."""

from django.urls import path

from aimwell.context import views, views_governance, views_scope
from aimwell.context.pages import PAGES

app_name = "context"

urlpatterns = [
    path("context/", views.home, name="home"),
    path("context/ai-roles/", views_governance.ai_roles, name="ai-roles"),
    path("context/raci/", views_governance.raci_matrix, name="raci"),
    path("context/raci/set/", views_governance.raci_set, name="raci-set"),
    path("context/legal/<uuid:pk>/applies/", views_governance.legal_applies, name="legal-applies"),
    path(
        "context/legal/<uuid:pk>/applies/<uuid:system_id>/remove/",
        views_governance.legal_unapplies,
        name="legal-unapplies",
    ),
    path(
        "context/oversight-bodies/<uuid:pk>/meetings/new/",
        views_governance.meeting_new,
        name="meeting-new",
    ),
    path(
        "context/oversight-bodies/<uuid:pk>/decisions/new/",
        views_governance.decision_new,
        name="decision-new",
    ),
    path(
        "context/principles/<uuid:pk>/links/",
        views_governance.principle_link,
        name="principle-link",
    ),
    path(
        "context/principles/<uuid:pk>/links/pick/",
        views_governance.principle_pick,
        name="principle-pick",
    ),
    path(
        "context/principles/<uuid:pk>/links/<uuid:link_id>/remove/",
        views_governance.principle_unlink,
        name="principle-unlink",
    ),
    path("context/meetings/<uuid:pk>/", views_governance.meeting_detail, name="meeting"),
    path("context/meetings/<uuid:pk>/edit/", views_governance.meeting_edit, name="meeting-edit"),
    path("context/decisions/<uuid:pk>/edit/", views_governance.decision_edit, name="decision-edit"),
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
