"""The guided EU AI Act questionnaire of an AI system."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from aimwell.accounts.access import get_for_user, request_organisation
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import can_write
from aimwell.classification import services as service
from aimwell.classification.engine import AnswersError, visible_questions
from aimwell.inventory.choices import EUOperatorRole
from aimwell.inventory.models import AISystem, roles_label


def _raw_answers(request: AimwellRequest, rules: Any, start: dict[str, Any]) -> dict[str, Any]:
    """Answers from the submitted form, or the system's current ones on first view."""
    if request.method != "POST":
        return dict(start)
    raw: dict[str, Any] = {}
    for question in rules.questions:
        if question.type == "multi_choice":
            values = request.POST.getlist(question.id)
            if values:
                raw[question.id] = values
        elif request.POST.get(question.id, "") != "":
            raw[question.id] = request.POST[question.id]
    return raw


def _roles(request: AimwellRequest, system: AISystem, current: Any) -> list[str]:
    """The roles ticked on the form; on first view the system's roles (or the current result's)."""
    if request.method == "POST":
        return request.POST.getlist("roles")
    if system.eu_roles:
        return list(system.eu_roles)
    return list(current.operator_roles) if current and current.operator_roles else ["deployer"]


@login_required
def classify_page(request: AimwellRequest, system_id: uuid.UUID) -> HttpResponse:
    system, membership = get_for_user(
        request.user, AISystem.objects.all(), system_id, organisation=request_organisation(request)
    )
    editable = can_write(membership, system)
    rule_set = service.latest_rule_set()
    current = system.classifications.filter(is_current=True).first()
    rules = service.rules_of(rule_set)
    raw = _raw_answers(request, rules, current.answers if current else {})
    roles = _roles(request, system, current)
    _, answers, outcome, errors = service.preview(rule_set, raw, roles)
    if request.method == "POST" and request.POST.get("action") == "save" and editable:
        try:
            service.classify_system(system, raw, actor=request.user, role=roles, rule_set=rule_set)
        except AnswersError as exc:
            errors = exc.errors
        else:
            messages.success(request, "The classification was recorded.")
            return redirect("inventory:system", system.pk)
    shown = visible_questions(rules, answers, roles)
    context = {
        "system": system,
        "rules": rules,
        "questions": shown,
        "answers": answers,
        "outcome": outcome,
        "errors": errors if request.method == "POST" else {},
        "chosen_roles": roles,
        "roles_label": roles_label([r for r in roles if r in EUOperatorRole.values]),
        "roles": [(v, label) for v, label in EUOperatorRole.choices if v in rules.roles],
        "editable": editable,
        "current": current,
        "newer_rules": service.newer_rules(current, rule_set.version),
    }
    is_htmx = request.headers.get("HX-Request") == "true"
    template = "classification/classify.html"
    return render(request, f"{template}#questionnaire" if is_htmx else template, context)
