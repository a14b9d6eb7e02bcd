"""Evidence pages: the register with staleness, upload and links, an item with its integrity
check and links, evidence requests, and evidence packs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.evidence import services
from aimwell.evidence.forms import EvidenceEditForm, EvidenceForm, LinkForm, PackForm, RequestForm
from aimwell.evidence.links import link_candidates, registered, url_of
from aimwell.evidence.models import (
    EvidenceItem,
    EvidenceKind,
    EvidenceLink,
    EvidencePack,
    EvidenceRequest,
    RequestStatus,
)
from aimwell.evidence.pickers import evidence_options, evidence_picker, visible_evidence
from aimwell.evidence.querysets import evidence_for, freshness_summary, packs_for, requests_for
from aimwell.evidence.services.packs import build_pack, pack_public_key
from aimwell.evidence.storage import max_upload_bytes

REQUEST_ACTIONS = {"fulfil", "cancel"}


def _membership(request: AimwellRequest, capability: Capability = Capability.READ_ALL) -> Any:
    return require(request.membership, capability)


def _item(request: AimwellRequest, pk: Any, *, write: bool = False) -> tuple[EvidenceItem, Any]:
    _membership(request)
    return get_for_user(
        request.user,
        EvidenceItem.objects.select_related("owner"),
        pk,
        organisation=request.organisation,
        write=write,
    )


def _may_pack(membership: Any) -> bool:
    return can(membership, Capability.VIEW_AUDIT_TRAIL)


@login_required
def home(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request)
    filters: dict[str, Any] = {
        "freshness": request.GET.get("freshness", ""),
        "kind": request.GET.get("kind", ""),
        "requirement": request.GET.get("requirement", "").strip()[:150],
        "q": request.GET.get("q", "").strip()[:100],
    }
    context = {
        "items": evidence_for(request.user, membership.organisation, **filters),
        "filters": filters,
        "kinds": EvidenceKind.choices,
        "summary": freshness_summary(membership.organisation),
        "can_add": can(membership, Capability.CONTRIBUTE),
        "may_pack": _may_pack(membership),
    }
    is_htmx = request.headers.get("HX-Request") == "true"
    return render(
        request, "evidence/home.html#results" if is_htmx else "evidence/home.html", context
    )


@login_required
def add(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request, Capability.CONTRIBUTE)
    form = EvidenceForm(
        request.POST or None, request.FILES or None, organisation=membership.organisation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "actor": request.user,
            "description": data["description"],
            "effective_date": data["effective_date"],
            "validity_days": data["validity_days"],
            "requirement_urns": data["requirements"],
        }
        try:
            if data["kind"] == "file":
                upload = data["file"]
                item = services.add_file(
                    membership.organisation,
                    title=data["title"],
                    data=upload.read(max_upload_bytes() + 1),
                    file_name=upload.name,
                    declared_type=upload.content_type,
                    **common,
                )
            else:
                item = services.add_link(
                    membership.organisation, title=data["title"], url=data["url"], **common
                )
        except services.EvidenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Added evidence “{item.title}” (SHA-256 {item.sha256[:12]}…)."
            )
            return redirect("evidence:detail", pk=item.pk)
    return render(request, "evidence/form.html", {"form": form, "item": None})


@login_required
def detail(request: AimwellRequest, pk: Any) -> HttpResponse:
    item, membership = _item(request, pk)
    links = list(item.links.all())
    targets = registered()
    return render(
        request,
        "evidence/detail.html",
        {
            "item": item,
            "requirements": list(item.requirements.select_related("framework")),
            "links": [
                (link, targets.get(link.target_type), url_of(link.target_type, link.target_id))
                for link in links
            ],
            "requests": list(item.requests.select_related("requested_from")),
            "writable": can_write(membership, item),
            "link_form": LinkForm(),
        },
    )


@login_required
def download(request: AimwellRequest, pk: Any) -> HttpResponseBase:
    item, _ = _item(request, pk)
    if item.kind == EvidenceKind.LINK:
        return redirect(item.url)
    if not item.file:
        raise Http404("This evidence has no file.")
    handle = item.file.storage.open(item.file.name, "rb")
    return FileResponse(
        handle, as_attachment=True, filename=item.file_name, content_type=item.content_type
    )


@login_required
def edit(request: AimwellRequest, pk: Any) -> HttpResponse:
    item, _ = _item(request, pk, write=True)
    initial = {
        "title": item.title,
        "description": item.description,
        "effective_date": item.effective_date,
        "validity_days": item.validity_days,
        "requirements": " ".join(item.requirements.values_list("urn", flat=True)),
    }
    form = EvidenceEditForm(request.POST or None, initial=initial, organisation=item.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_item(
                item,
                actor=request.user,
                requirement_urns=data["requirements"],
                title=data["title"],
                description=data["description"],
                effective_date=data["effective_date"],
                validity_days=data["validity_days"],
            )
        except services.EvidenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("evidence:detail", pk=item.pk)
    return render(request, "evidence/form.html", {"form": form, "item": item})


@login_required
@require_POST
def verify(request: AimwellRequest, pk: Any) -> HttpResponse:
    item, _ = _item(request, pk)
    if services.verify_integrity(item, actor=request.user):
        messages.success(request, "The stored file still matches the SHA-256 taken at upload.")
    else:
        messages.error(request, "The stored file does NOT match the SHA-256 taken at upload.")
    return redirect("evidence:detail", pk=item.pk)


@login_required
@require_POST
def retire(request: AimwellRequest, pk: Any) -> HttpResponse:
    item, _ = _item(request, pk, write=True)
    services.retire_item(item, actor=request.user)
    messages.success(request, f"“{item.title}” is withdrawn; it stays on record.")
    return redirect("evidence:detail", pk=item.pk)


@login_required
def pick_target(request: AimwellRequest) -> HttpResponse:
    """The "Link to" picker's search: records of the chosen type in this organisation, by name.
    Only those who may add evidence (and so link it) search: the names are of every register."""
    _membership(request, Capability.CONTRIBUTE)
    query = request.GET.get("q", "").strip()[:200]
    found = link_candidates(
        request.GET.get("target_type", ""),
        query,
        request.organisation,
    )
    options = [{"value": pk, "label": label} for pk, label in found]
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
def pick(request: AimwellRequest) -> HttpResponse:
    """The evidence picker's search (a certification answer, an audit finding): live items of
    this organisation that the member may see, by title; a guest finds only their audit's scope."""
    _membership(request)
    query = request.GET.get("q", "").strip()[:200]
    options = evidence_options(request.user, request.organisation, query)
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
@require_POST
def add_link(request: AimwellRequest, pk: Any) -> HttpResponse:
    item, _ = _item(request, pk, write=True)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to link to and give its id.")
        return redirect("evidence:detail", pk=item.pk)
    try:
        services.add_target_link(
            item,
            target_type=form.cleaned_data["target_type"],
            target_id=form.cleaned_data["target_id"],
            actor=request.user,
        )
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Linked.")
    return redirect("evidence:detail", pk=item.pk)


@login_required
@require_POST
def remove_link(request: AimwellRequest, pk: Any, link_id: Any) -> HttpResponse:
    item, _ = _item(request, pk, write=True)
    link = EvidenceLink.objects.filter(evidence=item, pk=link_id).first()
    if link is None:
        messages.info(request, "That link was already removed.")
    else:
        services.remove_target_link(link, actor=request.user)
        messages.success(request, "Link removed.")
    return redirect("evidence:detail", pk=item.pk)


def _may_request(membership: Any) -> bool:
    return can(membership, Capability.MANAGE_AIMS) or can(
        membership, Capability.WRITE_AUDIT_RECORDS
    )


@login_required
def requests_page(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request)
    form = RequestForm(request.POST or None, organisation=membership.organisation)
    if request.method == "POST":
        if not _may_request(membership):
            raise PermissionDenied("AIMS managers and internal auditors request evidence.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                req = services.request_evidence(
                    membership.organisation,
                    title=data["title"],
                    requested_from=data["requested_from"],
                    due_date=data["due_date"],
                    description=data["description"],
                    requirement_urn=data["requirement"] or None,
                    actor=request.user,
                )
            except services.EvidenceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"Asked {req.requested_from.display_name} for “{req.title}”."
                )
                return redirect("evidence:requests")
    status = request.GET.get("status", "")
    # The evidence that fulfils a request is searched by title (one picker per open request).
    fulfil_with = evidence_picker(visible_evidence(request.user, membership.organisation))
    return render(
        request,
        "evidence/requests.html",
        {
            "requests": requests_for(request.user, membership.organisation, status=status),
            "status": status,
            "statuses": RequestStatus.choices,
            "form": form,
            "may_request": _may_request(membership),
            "fulfil_with": fulfil_with.render(
                "evidence", None, attrs={"aria-label": "Evidence that fulfils the request"}
            ),
        },
    )


@login_required
@require_POST
def request_action(request: AimwellRequest, pk: Any, action: str) -> HttpResponse:
    if action not in REQUEST_ACTIONS:
        raise Http404("No such action.")
    _membership(request)
    req, membership = get_for_user(
        request.user,
        EvidenceRequest.objects.select_related("requested_from"),
        pk,
        organisation=request.organisation,
    )
    is_manager = can(membership, Capability.MANAGE_AIMS)
    if action == "fulfil" and not (is_manager or req.requested_from_id == request.user.pk):
        raise PermissionDenied("Only the person asked, or an AIMS manager, fulfils a request.")
    if action == "cancel" and not (is_manager or req.requested_by_id == request.user.pk):
        raise PermissionDenied("Only the requester, or an AIMS manager, cancels a request.")
    try:
        if action == "fulfil":
            evidence, _ = _item(request, request.POST.get("evidence", ""))
            services.fulfil_request(req, evidence=evidence, actor=request.user)
            messages.success(request, f"“{req.title}” is fulfilled.")
        else:
            services.cancel_request(req, actor=request.user)
            messages.success(request, f"“{req.title}” is cancelled.")
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
    return redirect("evidence:requests")


@login_required
def packs_page(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request, Capability.VIEW_AUDIT_TRAIL)
    form = PackForm(request.POST or None, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            pack = build_pack(
                membership.organisation,
                scope=form.cleaned_data["scope"],
                value=form.cleaned_data["value"],
                actor=request.user,
            )
        except services.EvidenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Exported the pack; its SHA-256 is {pack.sha256}.")
            return redirect("evidence:packs")
    return render(
        request,
        "evidence/packs.html",
        {
            "packs": packs_for(request.user, membership.organisation),
            "form": form,
            "public_key": pack_public_key(membership.organisation),
        },
    )


@login_required
def pack_download(request: AimwellRequest, pk: Any) -> HttpResponseBase:
    _membership(request, Capability.VIEW_AUDIT_TRAIL)
    pack, _ = get_for_user(
        request.user,
        EvidencePack.objects.all(),
        pk,
        organisation=request.organisation,
    )
    handle = pack.file.storage.open(pack.file.name, "rb")
    return FileResponse(
        handle, as_attachment=True, filename=pack.file_name, content_type="application/zip"
    )
