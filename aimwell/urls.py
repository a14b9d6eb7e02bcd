"""Top-level routes: the pages of each app, the REST API, and the Django admin."""

from django.contrib import admin
from django.urls import include, path

from aimwell.api import api

urlpatterns = [
    path("", include("aimwell.web.urls")),
    path("", include("aimwell.accounts.urls")),
    path("", include("aimwell.core.urls")),
    path("", include("aimwell.catalog.urls")),
    path("", include("aimwell.inventory.urls")),
    path("", include("aimwell.classification.urls")),
    path("", include("aimwell.context.urls")),
    path("", include("aimwell.governance.urls")),
    path("", include("aimwell.documents.urls")),
    path("", include("aimwell.evidence.urls")),
    path("", include("aimwell.risks.urls")),
    path("", include("aimwell.impact_assessments.urls")),
    path("", include("aimwell.controls.urls")),
    path("", include("aimwell.operations.urls")),
    path("", include("aimwell.internal_audit.urls")),
    path("", include("aimwell.improvement.urls")),
    path("", include("aimwell.management_review.urls")),
    path("", include("aimwell.incidents.urls")),
    path("", include("aimwell.objectives.urls")),
    path("", include("aimwell.competence.urls")),
    path("", include("aimwell.notifications.urls")),
    path("", include("aimwell.monitoring.urls")),
    path("", include("aimwell.lifecycle.urls")),
    path("", include("aimwell.change_control.urls")),
    path("", include("aimwell.certification.urls")),
    path("", include("aimwell.transparency.urls")),
    path("", include("aimwell.reports.urls")),
    path("", include("aimwell.interchange.urls")),
    path("", include("aimwell.consistency.urls")),
    path("", include("aimwell.integrations.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler400 = "aimwell.web.views.bad_request"
handler403 = "aimwell.web.views.permission_denied"
handler404 = "aimwell.web.views.page_not_found"
handler500 = "aimwell.web.views.server_error"
