"""The REST API at /api/v1/: one NinjaAPI, authenticated everywhere, errors as JSON messages."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError, ValidationError

from aimwell.accounts.api import router as accounts_router
from aimwell.accounts.auth import OrganisationSessionAuth, TokenAuth
from aimwell.accounts.lookups import NotAMember
from aimwell.accounts.request import AimwellRequest
from aimwell.api_schema import AimwellAPI
from aimwell.catalog.api import router as catalog_router
from aimwell.certification.api import router as certification_router
from aimwell.change_control.api import router as change_control_router
from aimwell.classification.api import router as classification_router
from aimwell.competence.api import router as competence_router
from aimwell.consistency.api import router as consistency_router
from aimwell.context.api import router as context_router
from aimwell.controls.api import router as controls_router
from aimwell.core.api import router as audit_router
from aimwell.core.concurrency import VersionConflict, VersionRequired, conflict_response
from aimwell.core.errors import DomainError
from aimwell.documents.api import router as documents_router
from aimwell.evidence.api import router as evidence_router
from aimwell.governance.api import router as governance_router
from aimwell.impact_assessments.api import router as impact_assessments_router
from aimwell.improvement.api import router as improvement_router
from aimwell.incidents.api import router as incidents_router
from aimwell.integrations.api import router as integrations_router
from aimwell.interchange.api import router as interchange_router
from aimwell.internal_audit.api import router as internal_audit_router
from aimwell.inventory.api import router as inventory_router
from aimwell.lifecycle.api import router as lifecycle_router
from aimwell.management_review.api import router as management_review_router
from aimwell.monitoring.api import router as monitoring_router
from aimwell.notifications.api import router as notifications_router
from aimwell.objectives.api import router as objectives_router
from aimwell.reports.api import router as reports_router
from aimwell.risks.api import router as risks_router
from aimwell.transparency.api import router as transparency_router
from aimwell.web.api import router as home_router

logger = logging.getLogger(__name__)

api = AimwellAPI(
    title="Aimwell API",
    version="1",
    description=(
        "The REST API of Aimwell, an AI management system for ISO/IEC 42001. Authenticate with a "
        "personal API token (`Authorization: Bearer aw_…`, scoped to one organisation) or, from "
        "the browser, with the session cookie and the CSRF token."
    ),
    auth=[TokenAuth(), OrganisationSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", home_router)
api.add_router("/", accounts_router)
api.add_router("/", audit_router)
api.add_router("/catalog", catalog_router)
api.add_router("/", inventory_router)
api.add_router("/", classification_router)
api.add_router("/", context_router)
api.add_router("/", governance_router)
api.add_router("/", documents_router)
api.add_router("/", evidence_router)
api.add_router("/", risks_router)
api.add_router("/", impact_assessments_router)
api.add_router("/", controls_router)
api.add_router("/", internal_audit_router)
api.add_router("/", improvement_router)
api.add_router("/", management_review_router)
api.add_router("/", incidents_router)
api.add_router("/", objectives_router)
api.add_router("/", competence_router)
api.add_router("/", notifications_router)
api.add_router("/", monitoring_router)
api.add_router("/", lifecycle_router)
api.add_router("/", change_control_router)
api.add_router("/", certification_router)
api.add_router("/", transparency_router)
api.add_router("/", reports_router)
api.add_router("/", interchange_router)
api.add_router("/", consistency_router)
api.add_router("/", integrations_router)


def _field_of(location: tuple[object, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "payload", "query", "path", "filters")]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def on_validation_error(request: AimwellRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_of(tuple(e.get("loc", ()))), "message": e.get("msg", "Invalid value.")}
        for e in exc.errors
    ]
    return api.create_response(
        request, {"message": "Some fields are not valid.", "errors": errors}, status=422
    )


@api.exception_handler(HttpError)
def on_http_error(request: AimwellRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


@api.exception_handler(DomainError)
def on_domain_error(request: AimwellRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.body(), status=exc.status)


@api.exception_handler(MultiPartParserError)
def on_unreadable_multipart(request: AimwellRequest, exc: MultiPartParserError) -> HttpResponse:
    return api.create_response(
        request, {"message": f"The multipart body cannot be read: {exc}"}, status=400
    )


@api.exception_handler(NotAMember)
def on_not_a_member(request: AimwellRequest, exc: NotAMember) -> HttpResponse:
    return api.create_response(request, {"message": str(exc)}, status=400)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: AimwellRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"message": "Sign in, or send a valid API token as 'Authorization: Bearer <token>'."},
        status=401,
    )


@api.exception_handler(VersionConflict)
def on_version_conflict(request: AimwellRequest, exc: VersionConflict) -> HttpResponse:
    return conflict_response(exc)


@api.exception_handler(VersionRequired)
def on_version_required(request: AimwellRequest, exc: VersionRequired) -> HttpResponse:
    return conflict_response(exc)


@api.exception_handler(Http404)
def on_not_found(request: AimwellRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"message": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: AimwellRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "Your role does not allow this."
    return api.create_response(request, {"message": message}, status=403)


@api.exception_handler(Exception)
def on_unexpected(request: AimwellRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s", request.path)
    return api.create_response(
        request, {"message": "Something went wrong on our side; it has been logged."}, status=500
    )
