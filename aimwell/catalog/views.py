"""Catalog pages: frameworks, a framework's tree, a requirement with its crosswalks, search,
import and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from aimwell.accounts.access import page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.catalog import importing
from aimwell.catalog.forms import ImportForm
from aimwell.catalog.presenters import node_detail
from aimwell.catalog.querysets import (
    framework_by_urn,
    frameworks_for,
    mapping_sets_for,
    node_by_urn,
    search,
    tree,
)
from aimwell.catalog.spec import CatalogFormatError


def _org(request: AimwellRequest):
    return require(request.membership, Capability.READ_PUBLISHED).organisation


@login_required
@page_access(Capability.READ_PUBLISHED)
def index(request: AimwellRequest) -> HttpResponse:
    org = _org(request)
    context = {
        "frameworks": frameworks_for(org),
        "mapping_sets": mapping_sets_for(org),
        "can_import": can(request.membership, Capability.MANAGE_AIMS),
    }
    return render(request, "catalog/index.html", context)


@login_required
def framework(request: AimwellRequest, urn: str) -> HttpResponse:
    fw = framework_by_urn(_org(request), urn)
    if fw is None:
        raise Http404("No such framework.")
    return render(request, "catalog/framework.html", {"framework": fw, "nodes": tree(fw)})


@login_required
def node(request: AimwellRequest, urn: str) -> HttpResponse:
    org = _org(request)
    found = node_by_urn(org, urn)
    if found is None:
        raise Http404("No such requirement.")
    detail = node_detail(org, found, framework_key=request.GET.get("framework") or None)
    return render(request, "catalog/node.html", {"node": found, "detail": detail})


@login_required
def search_page(request: AimwellRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = search(_org(request), query) if query else []
    is_htmx = request.headers.get("HX-Request") == "true"
    template = "catalog/search.html#results" if is_htmx else "catalog/search.html"
    return render(request, template, {"query": query, "results": results})


@login_required
@page_access(Capability.READ_PUBLISHED)
def pick(request: AimwellRequest) -> HttpResponse:
    """A picker's search (core/widgets.py): requirements by title or reference, id beside;
    ?framework=<key> keeps one framework's (a form that accepts no other)."""
    query = request.GET.get("q", "").strip()[:200]
    key = request.GET.get("framework", "").strip()[:50]
    nodes = search(_org(request), query, limit=20, framework_key=key) if query else []
    options = [
        {"value": n.urn, "label": f"{n.ref_id} {n.title}", "detail": n.framework.name}
        for n in nodes
    ]
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
def import_page(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = importing.ImportOptions(
            framework_refs={},
            key=data["key"] or None,
            version=data["version"] or None,
            name=data["name"] or None,
            mapping_set=data["mapping_set"],
            source_framework=data["source_framework"] or None,
            target_framework=data["target_framework"] or None,
            catalog=data["catalog"].read() if data.get("catalog") else None,
            lookup=importing.catalog_lookup(membership.organisation),
        )
        upload = data["file"]
        try:
            options.framework_refs = importing.parse_framework_refs([data["framework_refs"]])
            specs = importing.parse(upload.read(), upload.name, data["format"] or None, options)
            results = importing.import_specs(
                specs, organisation=membership.organisation, actor=request.user
            )
        except CatalogFormatError as exc:
            form.add_error(None, f"Nothing was imported. {exc}")
        else:
            for obj, report in results:
                messages.success(request, f"Imported {obj}: {report.summary()}.")
            for note in options.notes:
                messages.info(request, note)
            return redirect("catalog:index")
    return render(request, "catalog/import.html", {"form": form})


@login_required
def export(request: AimwellRequest, urn: str, fmt: str) -> HttpResponse:
    fw = framework_by_urn(_org(request), urn)
    if fw is None:
        raise Http404("No such framework.")
    try:
        content, content_type, filename = importing.export(fw, fmt)
    except CatalogFormatError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
