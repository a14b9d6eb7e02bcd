"""Change request pages (clause 6.3): the register, one change, and its form."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, request_organisation, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can_write
from aimwell.change_control import forms, querysets
from aimwell.change_control import services as changes
from aimwell.change_control.choices import ChangeStatus
from aimwell.change_control.errors import ChangeError, ChangeNotAuthorised
from aimwell.change_control.models import ChangeRequest

ACTIONS = ("submit", "approve", "reject", "implement", "review")


def _change(
    request: AimwellRequest, change_id: uuid.UUID, *, write: bool = False
) -> tuple[ChangeRequest, Any]:
    return get_for_user(
        request.user,
        querysets.changes(request.user, None),
        change_id,
        organisation=request_organisation(request),
        write=write,
    )


@login_required
def change_list(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    selected = request.GET.get("status") or ""
    rows = querysets.changes(
        request.user,
        membership.organisation,
        status_in=[selected] if selected in ChangeStatus.values else None,
        q=request.GET.get("q") or None,
    )[: querysets.MAX_ROWS]
    return render(
        request,
        "change_control/changes.html",
        {
            "rows": list(rows),
            "statuses": ChangeStatus.choices,
            "selected": selected,
            "can_create": membership.role in ("admin", "aims_manager", "contributor"),
        },
    )


def _form_page(
    request: AimwellRequest, change: ChangeRequest | None, membership: Any
) -> HttpResponse:
    organisation = membership.organisation
    # The form works on its own copy: validating a model form writes into its instance, and the
    # service must see the stored values as "before".
    copy = None if change is None else ChangeRequest.objects.get(pk=change.pk)
    form = forms.ChangeForm(request.POST or None, instance=copy, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        system = values.get("system")
        if system is not None and not can_write(membership, system):
            form.add_error("system", "You may propose changes to the systems you own.")
        else:
            try:
                if change is None:
                    change = changes.create_change(organisation, actor=request.user, **values)
                else:
                    changes.update_change(change, actor=request.user, **values)
            except ChangeError as exc:
                field = exc.field.replace("_id", "") if exc.field else None
                form.add_error(field if field in form.fields else None, str(exc))
            else:
                messages.success(request, f"{change} saved.")
                return redirect("change_control:detail", change.pk)
    title = f"Edit {change}" if change else "Propose a change"
    return render(request, "lifecycle/form.html", {"form": form, "title": title})


@login_required
def change_new(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.CONTRIBUTE)
    return _form_page(request, None, membership)


@login_required
def change_edit(request: AimwellRequest, change_id: uuid.UUID) -> HttpResponse:
    change, membership = _change(request, change_id, write=True)
    return _form_page(request, change, membership)


@login_required
def change_detail(request: AimwellRequest, change_id: uuid.UUID) -> HttpResponse:
    change, membership = _change(request, change_id)
    return render(
        request,
        "change_control/change.html",
        {
            "change": change,
            "can_edit": can_write(membership, change),
            "can_decide": changes.decision_refusal(membership) is None,
        },
    )


@login_required
@require_POST
def change_action(request: AimwellRequest, change_id: uuid.UUID, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    change, membership = _change(request, change_id, write=action not in ("approve", "reject"))
    form = forms.ChangeActionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"note": "", "on": None}
    try:
        if action == "submit":
            changes.submit_change(change, actor=request.user)
        elif action in ("approve", "reject"):
            changes.decide_change(
                change,
                approve=action == "approve",
                actor=request.user,
                membership=membership,
                note=data["note"],
            )
        elif action == "implement":
            changes.implement_change(change, actor=request.user, on=data["on"])
        else:
            changes.review_change(change, actor=request.user, note=data["note"], on=data["on"])
    except ChangeNotAuthorised as exc:
        raise PermissionDenied(str(exc)) from exc
    except ChangeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{change.reference}: {change.get_status_display().lower()}.")
    return redirect("change_control:detail", change.pk)
