"""Puts the organisation the signed-in user is working in on the request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from aimwell.accounts import mfa
from aimwell.accounts.models import Membership
from aimwell.accounts.request import attach_membership
from aimwell.accounts.services import landing_membership

SESSION_KEY = "aimwell_organisation_id"


def current_membership(request: HttpRequest) -> Membership | None:
    """The active membership chosen in the session, else where the member lands (the
    organisation they chose last, else the busiest: accounts.services.landing_membership)."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.active().select_related("organisation").filter(user_id=user.pk)
    chosen = request.session.get(SESSION_KEY)
    membership = memberships.filter(organisation_id=chosen).first() if chosen else None
    if membership is None:
        membership = landing_membership(user)
        if membership is not None:
            request.session[SESSION_KEY] = str(membership.organisation_id)
    return membership


class CurrentOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # API requests authenticated by token set their organisation from the token instead.
        if not request.path.startswith("/api/"):
            attach_membership(request, current_membership(request))
        return self.get_response(request)


# Open while a second factor is outstanding: the pages that take it, signing out, static files,
# the public transparency pages (open to anyone anyway). The API checks in its session auth.
SECOND_FACTOR_OPEN = ("/account/two-factor/", "/signout/", "/static/", "/public/", "/api/")


class SecondFactorMiddleware:
    """Sends a signed-in person to enter their code (or, where their organisation requires two
    factors and they have none, to enrol) before any other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith(SECOND_FACTOR_OPEN):
            organisation = getattr(request, "organisation", None)
            if mfa.code_outstanding(request):
                target = reverse("two-factor-verify")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
            if mfa.enrolment_required(request, organisation):
                return redirect("two-factor")
        return self.get_response(request)
