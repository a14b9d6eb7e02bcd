"""The risk method page: the current criteria, their versions, and publishing a new one."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.risks.errors import RiskError
from aimwell.risks.forms import MethodForm
from aimwell.risks.models import RiskMethod
from aimwell.risks.services import method as methods


def _grid(method: RiskMethod) -> list[dict[str, Any]]:
    return [
        {
            "label": method.likelihood_label(lik),
            "cells": [
                {
                    "level": method.level(lik, c),
                    "colour": method.band(method.level(lik, c))["colour"],
                }
                for c in range(1, method.consequence_max + 1)
            ],
        }
        for lik in range(method.likelihood_max, 0, -1)
    ]


@login_required
def method_page(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    org = membership.organisation
    current = methods.current_method(org)
    can_manage = can(membership, Capability.MANAGE_AIMS)
    form = None
    if can_manage:
        initial = MethodForm.initial_from(current or methods.default_spec())
        form = MethodForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                method = methods.publish_method(org, actor=request.user, **form.spec())
            except (RiskError, Exception) as exc:
                if not isinstance(exc, RiskError | ValueError):
                    raise
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{method} is now the current risk method.")
                return redirect("risks:method")
    elif request.method == "POST":
        require(membership, Capability.MANAGE_AIMS)
    return render(
        request,
        "risks/method.html",
        {
            "method": current,
            "grid": _grid(current) if current else [],
            "versions": RiskMethod.objects.filter(organisation=org).order_by("-version"),
            "form": form,
        },
    )


@login_required
def method_version(request: AimwellRequest, method_id: uuid.UUID) -> HttpResponse:
    method, _ = get_for_user(
        request.user,
        RiskMethod.objects.all(),
        method_id,
        organisation=request.organisation,
    )
    return render(
        request,
        "risks/method.html",
        {"method": method, "grid": _grid(method), "versions": [], "form": None, "old": True},
    )
