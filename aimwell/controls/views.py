"""Pages of the Statement of Applicability and its versions."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.controls import exports, services, soa
from aimwell.controls.errors import ControlsError
from aimwell.controls.models import ImplementationStatus, SoAVersion
from aimwell.evidence.querysets import evidence_for_requirement, evidence_linked_to
from aimwell.interchange.services import isms


def _reader(request: AimwellRequest) -> Any:
    return require(request.membership, Capability.READ_ALL)


def _filter(rows: list[soa.SoARow], request: AimwellRequest) -> list[soa.SoARow]:
    q = (request.GET.get("q") or "").lower()
    applicability = request.GET.get("applicable") or ""
    status = request.GET.get("status") or ""
    if q:
        rows = [r for r in rows if q in r.ref.lower() or q in r.title.lower()]
    if applicability == "yes":
        rows = [r for r in rows if r.applicable]
    elif applicability == "no":
        rows = [r for r in rows if r.applicable is False]
    elif applicability == "undecided":
        rows = [r for r in rows if r.applicable is None]
    if status:
        rows = [r for r in rows if r.applicable and r.status == status]
    if request.GET.get("inconsistent") == "yes":
        rows = [r for r in rows if r.inconsistencies]
    return rows


@login_required
@page_access(Capability.READ_ALL)
def home(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    rows = soa.kept_rows(membership.organisation, top=soa.PAGE_TOP)
    covers = isms.coverage(membership.organisation)
    for row in rows:
        row.isms = covers.get(row.ref, [])  # type: ignore[attr-defined]
    context = {
        "rows": _filter(rows, request),
        "summary": soa.summary(rows),
        "query": request.GET,
        "statuses": ImplementationStatus.choices,
        "approved": SoAVersion.objects.filter(
            organisation=membership.organisation, status="approved"
        ).first(),
        "can_manage": can(membership, Capability.MANAGE_AIMS),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "controls/soa.html#table", context)
    return render(request, "controls/soa.html", context)


@login_required
def export(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    what = "gaps" if request.GET.get("what") == "gaps" else "soa"
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in ("pdf", "csv"):
        fmt = "xlsx"
    return exports.download(membership.organisation, what, fmt)


# Selecting risks named on a control's own page; the register's control filter lists them all.
ENTRY_TOP = 50


class EntryForm(forms.Form):
    applicable = forms.TypedChoiceField(
        choices=[("", "Not decided"), ("yes", "Applicable"), ("no", "Not applicable")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        required=False,
        empty_value=None,
    )
    justification = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it is included or excluded, beyond the links derived below.",
    )
    obligations = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Legal, contractual or business reasons",
    )
    status = forms.ChoiceField(choices=ImplementationStatus.choices, label="Implementation")

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation, memberships__is_active=True)
            .exclude(memberships__role="external_auditor")
            .order_by("email")
        )
        field = forms.ModelChoiceField(queryset=users, required=False)
        field.label_from_instance = lambda obj: obj.email  # type: ignore[method-assign]
        self.fields["owner"] = field


@login_required
def entry(request: AimwellRequest, key: str) -> HttpResponse:
    membership = _reader(request)
    org = membership.organisation
    node, custom = soa.find_control(org, key)
    if node is None and custom is None:
        raise Http404("No such control.")
    rows = soa.soa_rows(org, top=ENTRY_TOP)
    row = next(r for r in rows if r.key == str((node or custom).pk))  # type: ignore[union-attr]
    may_edit = can_write(membership, row.entry if row.entry is not None else object())
    initial = {
        "applicable": {True: "yes", False: "no"}.get(row.decided, ""),  # type: ignore[arg-type]
        "justification": row.free_justification,
        "obligations": row.obligations,
        "status": row.status,
        "owner": row.owner.pk if row.owner else None,
    }
    form = EntryForm(request.POST or None, initial=initial, organisation=org)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Your role does not allow changing the SoA.")
        if form.is_valid():
            try:
                services.decide(
                    org, actor=request.user, node=node, custom=custom, **form.cleaned_data
                )
            except ControlsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"The SoA entry of {row.ref} was saved.")
                return redirect("controls:entry", key)
    evidence = evidence_for_requirement(node, org.pk) if node is not None else []
    if row.entry is not None:
        evidence += evidence_linked_to("controls.soaentry", row.entry.pk, org.pk)
    return render(
        request,
        "controls/entry.html",
        {
            "row": row,
            "form": form if may_edit else None,
            "evidence": evidence,
            "key": key,
            "isms": isms.coverage(org).get(row.ref, []),
        },
    )


class CustomControlForm(forms.Form):
    code = forms.CharField(max_length=30, help_text="e.g. MER-01")
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def custom_new(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    form = CustomControlForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            control = services.create_custom_control(
                membership.organisation, actor=request.user, **form.cleaned_data
            )
        except ControlsError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, f"{control} was added; decide its applicability.")
            return redirect("controls:entry", control.code)
    return render(request, "controls/form.html", {"form": form, "title": "Add an own control"})


@login_required
def versions(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    if request.method == "POST":
        require(membership, Capability.MANAGE_AIMS)
        version = services.create_version(
            membership.organisation, actor=request.user, note=request.POST.get("note", "")[:500]
        )
        messages.success(request, f"{version} was snapshotted; top management can approve it.")
        return redirect("controls:version", version.pk)
    return render(
        request,
        "controls/versions.html",
        {
            "versions": SoAVersion.objects.filter(organisation=membership.organisation),
            "can_manage": can(membership, Capability.MANAGE_AIMS),
        },
    )


@login_required
def version(request: AimwellRequest, version_id: uuid.UUID) -> HttpResponse:
    v, membership = get_for_user(
        request.user,
        SoAVersion.objects.all(),
        version_id,
        organisation=request.organisation,
    )
    others = SoAVersion.objects.filter(organisation_id=v.organisation_id).exclude(pk=v.pk)
    against_id = request.GET.get("against")
    against = None
    if against_id:
        against = others.filter(pk=against_id).first() if _is_uuid(against_id) else None
    else:
        against = others.filter(number__lt=v.number).order_by("-number").first()
    changes = None
    if against is not None:
        older, newer = (against, v) if against.number < v.number else (v, against)
        changes = services.version_diff(older, newer)
    return render(
        request,
        "controls/version.html",
        {
            "v": v,
            "against": against,
            "others": others,
            "changes": changes,
            "refusal": services.approval_refusal(membership, v),
        },
    )


@login_required
@require_POST
def version_approve(request: AimwellRequest, version_id: uuid.UUID) -> HttpResponse:
    v, membership = get_for_user(
        request.user,
        SoAVersion.objects.all(),
        version_id,
        organisation=request.organisation,
    )
    refusal = services.approval_refusal(membership, v)
    if refusal:
        return render(
            request,
            "error_page.html",
            {"heading": "You cannot approve the SoA", "explanation": refusal},
            status=403,
        )
    services.approve_version(
        v, actor=request.user, membership=membership, note=request.POST.get("note", "")[:500]
    )
    messages.success(request, f"{v} is approved.")
    return redirect("controls:version", v.pk)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
