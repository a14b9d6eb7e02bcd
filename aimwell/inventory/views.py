"""Inventory pages: the AI systems register and the models, datasets and suppliers around it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, page_access, request_organisation, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.classification import matrix as classification_matrix
from aimwell.classification import services as classification_service
from aimwell.core import table_import
from aimwell.core.widgets import Picker
from aimwell.inventory import querysets, services
from aimwell.inventory.choices import LifecycleStage
from aimwell.inventory.errors import InventoryError
from aimwell.inventory.forms import (
    DatasetForm,
    ImportForm,
    LinkForm,
    ModelForm_,
    ResolveReviewForm,
    ResourceForm,
    SupplierForm,
    SystemForm,
)
from aimwell.inventory.models import (
    AIModel,
    AISystem,
    Dataset,
    Resource,
    ReviewFlag,
    Supplier,
    roles_label,
)
from aimwell.inventory.services import bulk


@dataclass(frozen=True)
class Register:
    model: type[Any]
    form: type[Any]
    label: str
    plural: str
    create_capability: Capability


REGISTERS = {
    "models": Register(AIModel, ModelForm_, "model", "Models", Capability.CONTRIBUTE),
    "datasets": Register(Dataset, DatasetForm, "dataset", "Datasets", Capability.CONTRIBUTE),
    "suppliers": Register(Supplier, SupplierForm, "supplier", "Suppliers", Capability.MANAGE_AIMS),
}
LISTS = {
    "models": querysets.models_list,
    "datasets": querysets.datasets_list,
    "suppliers": querysets.suppliers_list,
}


def _register(kind: str) -> Register:
    if kind not in REGISTERS:
        raise Http404("No such register.")
    return REGISTERS[kind]


def _reader(request: AimwellRequest) -> Any:
    return require(request.membership, Capability.READ_ALL)


def _filters(request: AimwellRequest) -> querysets.SystemFilters:
    def flag(name: str) -> bool | None:
        value = request.GET.get(name)
        return {"yes": True, "no": False}.get(value or "")

    return querysets.SystemFilters(
        q=request.GET.get("q") or None,
        stage=request.GET.get("stage") or None,
        in_scope=flag("in_scope"),
        risk_class=request.GET.get("risk_class") or None,
        owner=request.GET.get("owner") or None,
        needs_review=flag("needs_review"),
        sort=request.GET.get("sort") or "name",
    )


@login_required
@page_access(Capability.READ_ALL)
def systems(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    page = querysets.systems_page(
        membership.organisation,
        _filters(request),
        request.GET.get("page"),
        request.GET.get("page_size"),
    )
    context = {
        "page": page,
        "stages": LifecycleStage.choices,
        "query": request.GET,
        "can_create": can(membership, Capability.CONTRIBUTE),
        "can_import": can(membership, Capability.MANAGE_AIMS),
    }
    is_htmx = request.headers.get("HX-Request") == "true"
    template = "inventory/systems.html#table" if is_htmx else "inventory/systems.html"
    return render(request, template, context)


@login_required
def system_detail(request: AimwellRequest, system_id: uuid.UUID) -> HttpResponse:
    system, membership = get_for_user(
        request.user,
        AISystem.objects.select_related("owner"),
        system_id,
        organisation=request_organisation(request),
    )
    detail = querysets.system_detail(system)
    org = membership.organisation
    current = next((c for c in detail["classifications"] if c.is_current), None)
    matrix = classification_matrix.system_matrix(system)
    context = {
        "system": system,
        **detail,
        "newer_rules": classification_service.newer_rules(current),
        "can_edit": can_write(membership, system),
        # searchable pickers, not a <select> of every record (1.5 MB pages at 10,000 models)
        "link_pickers": {
            kind: Picker(
                reverse("inventory:link-pick", args=[system.pk, kind]),
                placeholder=f"Search {kind} by name",
            ).render("target", "", attrs={"id": f"link-{kind}"})
            for kind in ("models", "datasets", "suppliers")
            if _linkable(org, system, kind).exists()
        },
        "resource_form": ResourceForm(organisation=org),
        "classification_url": reverse("classification:classify", args=[system.pk]),
        "matrix": matrix,
        "matrix_roles": roles_label(current.operator_roles or [current.operator_role])
        if current
        else "",
        "related": classification_matrix.related_records(system),
    }
    return render(request, "inventory/system_detail.html", context)


@login_required
def system_form(request: AimwellRequest, system_id: uuid.UUID | None = None) -> HttpResponse:
    if system_id is None:
        membership = require(request.membership, Capability.CONTRIBUTE)
        system = None
    else:
        system, membership = get_for_user(
            request.user,
            AISystem.objects.all(),
            system_id,
            organisation=request_organisation(request),
            write=True,
        )
    initial = {"owner": request.user.pk} if system is None else None
    # The form works on its own copy: validating a model form writes into its instance, and the
    # service must see the stored values as "before" (otherwise nothing looks changed).
    form = SystemForm(
        request.POST or None,
        instance=None if system is None else AISystem.objects.get(pk=system.pk),
        initial=initial,
        organisation=membership.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if system is None:
                system = services.create(
                    AISystem, membership.organisation, actor=request.user, **form.cleaned_data
                )
            else:
                services.update(system, actor=request.user, **form.cleaned_data)
        except InventoryError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"“{system.name}” was saved.")
            return redirect("inventory:system", system.pk)
    return render(
        request,
        "inventory/form.html",
        {
            "form": form,
            "title": f"Edit {system}" if system else "Register an AI system",
            "back": "inventory:systems",
        },
    )


def _linkable(org: Any, system: AISystem, kind: str) -> Any:
    lists: dict[str, Any] = {
        "models": querysets.models_list,
        "datasets": querysets.datasets_list,
        "suppliers": querysets.suppliers_list,
    }
    return lists[kind](org).exclude(systems=system)


@login_required
def system_pick(request: AimwellRequest) -> HttpResponse:
    """The AI-system picker of the forms that name one system (a concern, a finding): this
    organisation's systems by name, as the member may see them (a guest only their audit's)."""
    membership = require(request.membership, Capability.READ_PUBLISHED)
    query = request.GET.get("q", "").strip()[:200]
    found = AISystem.objects.filter(organisation=membership.organisation)
    for word in query.split():
        found = found.filter(name__icontains=word)
    options = [{"value": str(s.pk), "label": s.name} for s in found.order_by("name")[:20]]
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
def link_pick(request: AimwellRequest, system_id: uuid.UUID, kind: str) -> HttpResponse:
    """A system page's picker: models, datasets or suppliers not yet linked, by name."""
    # The picker serves the link action and asks what it asks: the right to change the system.
    system, _ = get_for_user(
        request.user,
        AISystem.objects.all(),
        system_id,
        organisation=request_organisation(request),
        write=True,
    )
    if kind not in ("models", "datasets", "suppliers"):
        raise Http404("Nothing to link.")
    query = request.GET.get("q", "").strip()[:200]
    found = _linkable(system.organisation, system, kind).filter(name__icontains=query)[:20]
    options = [{"value": str(obj.pk), "label": str(obj)} for obj in found]
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
@require_POST
def system_link(
    request: AimwellRequest, system_id: uuid.UUID, kind: str, action: str
) -> HttpResponse:
    system, _ = get_for_user(
        request.user,
        AISystem.objects.all(),
        system_id,
        organisation=request_organisation(request),
        write=True,
    )
    form = LinkForm(request.POST)
    if kind not in services.LINKS or action not in ("link", "unlink") or not form.is_valid():
        raise Http404("Nothing to link.")
    target = (
        services.LINKS[kind][1]
        .objects.filter(organisation_id=system.organisation_id, pk=form.cleaned_data["target"])
        .first()
    )
    if target is None:
        raise Http404("Nothing to link.")
    if action == "link":
        services.link(system, kind, target, actor=request.user)
    else:
        services.unlink(system, kind, target, actor=request.user)
    return redirect("inventory:system", system.pk)


@login_required
@require_POST
def resource_add(request: AimwellRequest, system_id: uuid.UUID) -> HttpResponse:
    system, membership = get_for_user(
        request.user,
        AISystem.objects.all(),
        system_id,
        organisation=request_organisation(request),
        write=True,
    )
    form = ResourceForm(request.POST, organisation=membership.organisation)
    if form.is_valid():
        services.create(
            Resource,
            membership.organisation,
            actor=request.user,
            system=system,
            **form.cleaned_data,
        )
        messages.success(request, "The resource was added.")
    else:
        messages.error(request, "The resource needs a kind and a name.")
    return redirect("inventory:system", system.pk)


@login_required
@require_POST
def review_resolve(request: AimwellRequest, flag_id: uuid.UUID) -> HttpResponse:
    flag, _ = get_for_user(
        request.user,
        ReviewFlag.objects.select_related("system"),
        flag_id,
        organisation=request_organisation(request),
        write=True,
    )
    form = ResolveReviewForm(request.POST)
    if form.is_valid():
        from aimwell.inventory.services.review import resolve_review

        resolve_review(flag, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, "The review was recorded.")
    else:
        messages.error(request, "Say what was reviewed and concluded.")
    return redirect("inventory:system", flag.system_id)


@login_required
def register_list(request: AimwellRequest, kind: str) -> HttpResponse:
    reg = _register(kind)
    membership = _reader(request)
    rows = LISTS[kind](membership.organisation, request.GET.get("q") or None)
    page = querysets.page_of(rows, request.GET.get("page"), request.GET.get("page_size"))
    context = {
        "page": page,
        "kind": kind,
        "register": reg,
        "query": request.GET,
        "can_create": can(membership, reg.create_capability),
    }
    return render(request, f"inventory/{kind}.html", context)


@login_required
def register_detail(request: AimwellRequest, kind: str, obj_id: uuid.UUID) -> HttpResponse:
    reg = _register(kind)
    obj, membership = get_for_user(
        request.user, reg.model.objects.all(), obj_id, organisation=request_organisation(request)
    )
    context = {
        "obj": obj,
        "kind": kind,
        "register": reg,
        "systems": obj.systems.select_related("owner").order_by("name"),
        "can_edit": can_write(membership, obj),
        "history_type": reg.model._meta.label_lower,
    }
    if kind == "suppliers":
        context["supplied_models"] = obj.models.all()
        context["supplied_datasets"] = obj.datasets.all()
    if kind == "models":
        context["versions"] = AIModel.objects.filter(
            organisation_id=obj.organisation_id, name=obj.name
        ).order_by("-created_at")
    return render(request, "inventory/register_detail.html", context)


@login_required
def register_form(
    request: AimwellRequest, kind: str, obj_id: uuid.UUID | None = None
) -> HttpResponse:
    reg = _register(kind)
    if obj_id is None:
        membership = require(request.membership, reg.create_capability)
        obj = None
    else:
        obj, membership = get_for_user(
            request.user,
            reg.model.objects.all(),
            obj_id,
            organisation=request_organisation(request),
            write=True,
        )
    # A copy for the form (see system_form).
    copy = None if obj is None else reg.model.objects.get(pk=obj.pk)
    form = reg.form(request.POST or None, instance=copy, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            if obj is None:
                obj = services.create(
                    reg.model, membership.organisation, actor=request.user, **form.cleaned_data
                )
            else:
                services.update(obj, actor=request.user, **form.cleaned_data)
        except InventoryError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"“{obj}” was saved.")
            return redirect("inventory:detail", kind, obj.pk)
    title = f"Edit {obj}" if obj else f"Register a {reg.label}"
    return render(
        request,
        "inventory/form.html",
        {"form": form, "title": title, "back": "inventory:list", "kind": kind},
    )


@login_required
@require_POST
def model_version(request: AimwellRequest, obj_id: uuid.UUID) -> HttpResponse:
    model, _ = get_for_user(
        request.user,
        AIModel.objects.all(),
        obj_id,
        organisation=request_organisation(request),
        write=True,
    )
    version = (request.POST.get("version") or "").strip()[:50]
    if not version:
        messages.error(request, "Give the new version a name, e.g. 2.1.0.")
        return redirect("inventory:detail", "models", model.pk)
    try:
        successor = services.new_model_version(
            model,
            version=version,
            actor=request.user,
            replace_in_systems=request.POST.get("replace_in_systems") == "on",
        )
    except InventoryError as exc:
        messages.error(request, str(exc))
        return redirect("inventory:detail", "models", model.pk)
    messages.success(
        request,
        f"{successor} registered; systems using {model} moved to it and "
        "their decisions are flagged for review.",
    )
    return redirect("inventory:detail", "models", successor.pk)


@login_required
def import_page(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = bulk.import_rows(
                form.cleaned_data["kind"],
                membership.organisation,
                upload.read(),
                upload.name,
                actor=request.user,
            )
        except table_import.ImportFailed as exc:
            errors = exc.errors
            form.add_error(None, f"Nothing was imported: {len(errors)} problem(s) found.")
        else:
            messages.success(request, result.summary())
            for note in result.notes:
                messages.info(request, note)
            return redirect("inventory:systems")
    columns = {kind: spec.columns for kind, spec in bulk.KINDS.items()}
    return render(
        request,
        "inventory/import.html",
        {"form": form, "errors": errors[:200], "error_count": len(errors), "columns": columns},
    )


@login_required
def export(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    kind, fmt = request.GET.get("kind", "systems"), request.GET.get("format", "csv")
    if kind not in bulk.KINDS or fmt not in ("csv", "xlsx"):
        raise Http404("Unknown export.")
    return bulk.export_response(kind, membership.organisation, fmt)
