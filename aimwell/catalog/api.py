"""REST endpoints of the catalog: browse, search, crosswalks, import and export."""

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from aimwell.accounts.access import require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.catalog import importing
from aimwell.catalog.models import Framework, MappingSet, RequirementNode
from aimwell.catalog.presenters import node_detail, node_row
from aimwell.catalog.querysets import (
    framework_by_urn,
    frameworks_for,
    mapping_sets_for,
    node_by_urn,
    search,
    tree,
)
from aimwell.catalog.schemas import (
    FrameworkDetailOut,
    FrameworkOut,
    ImportResultOut,
    MappingSetOut,
    NodeBriefOut,
    NodeDetailOut,
)
from aimwell.catalog.spec import CatalogFormatError

router = Router(tags=["catalog"])


def _org(request: AimwellRequest):
    return require(request.membership, Capability.READ_PUBLISHED).organisation


def _framework(request: AimwellRequest, urn: str) -> Framework:
    framework = framework_by_urn(_org(request), urn)
    if framework is None:
        raise HttpError(404, f"No framework {urn!r}.")
    return framework


@router.get("/frameworks", response=list[FrameworkOut], summary="Frameworks")
def list_frameworks(request: AimwellRequest) -> QuerySet[Framework]:
    return frameworks_for(_org(request))


@router.get("/frameworks/{urn}", response=FrameworkDetailOut, summary="A framework and its tree")
def get_framework(request: AimwellRequest, urn: str) -> dict[str, object]:
    framework = _framework(request, urn)
    nodes = list(tree(framework))
    refs = {n.pk: n.ref_id for n in nodes}
    out = FrameworkOut.model_validate(framework).model_dump()
    out["requirement_count"] = sum(1 for n in nodes if n.kind != "group")
    out["nodes"] = [node_row(n, refs.get(n.parent_id) if n.parent_id else None) for n in nodes]
    return out


@router.get(
    "/frameworks/{urn}/export",
    summary="Export a framework (yaml, csv or oscal)",
    response={200: None},
)
def export_framework(request: AimwellRequest, urn: str, format: str = "yaml") -> HttpResponse:
    framework = _framework(request, urn)
    try:
        content, content_type, filename = importing.export(framework, format)
    except CatalogFormatError as exc:
        raise HttpError(400, str(exc)) from exc
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/nodes/{urn}", response=NodeDetailOut, summary="A requirement with its crosswalks")
def get_node(request: AimwellRequest, urn: str, framework: str | None = None) -> dict[str, object]:
    org = _org(request)
    node = node_by_urn(org, urn)
    if node is None:
        raise HttpError(404, f"No requirement {urn!r}.")
    return node_detail(org, node, framework_key=framework)


@router.get("/search", response=list[NodeBriefOut], summary="Search every framework")
def search_nodes(request: AimwellRequest, q: str) -> list[RequirementNode]:
    return search(_org(request), q)


@router.get("/mapping-sets", response=list[MappingSetOut], summary="Crosswalks")
def list_mapping_sets(request: AimwellRequest) -> QuerySet[MappingSet]:
    return mapping_sets_for(_org(request))


@router.post(
    "/import",
    response={201: ImportResultOut},
    summary="Import a framework or crosswalk file (AIMS managers)",
)
def import_file(
    request: AimwellRequest,
    file: File[UploadedFile],
    format: Form[str | None] = None,
    key: Form[str | None] = None,
    version: Form[str | None] = None,
    name: Form[str | None] = None,
    mapping_set: Form[bool] = False,
    source_framework: Form[str | None] = None,
    target_framework: Form[str | None] = None,
    catalog: File[UploadedFile | None] = None,
    framework_refs: Form[str | None] = None,
) -> Status[dict[str, object]]:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    for upload in (file, catalog):
        if upload is not None and upload.size and upload.size > importing.MAX_IMPORT_BYTES:
            raise HttpError(413, "The file is larger than 10 MB.")
    try:
        refs = importing.parse_framework_refs([framework_refs or ""])
    except CatalogFormatError as exc:
        raise HttpError(400, str(exc)) from exc
    options = importing.ImportOptions(
        framework_refs=refs,
        key=key,
        version=version,
        name=name,
        mapping_set=mapping_set,
        source_framework=source_framework,
        target_framework=target_framework,
        catalog=catalog.read() if catalog is not None else None,
        lookup=importing.catalog_lookup(membership.organisation),
    )
    try:
        specs = importing.parse(file.read(), file.name or "upload", format or None, options)
        results = importing.import_specs(
            specs, organisation=membership.organisation, actor=request.user
        )
    except CatalogFormatError as exc:
        raise HttpError(400, str(exc)) from exc
    imported = [
        {
            "kind": "framework" if isinstance(obj, Framework) else "mapping_set",
            "urn": getattr(obj, "urn", getattr(obj, "key", "")),
            "name": obj.name,
            "summary": report.summary(),
        }
        for obj, report in results
    ]
    return Status(201, {"imported": imported, "notes": options.notes})
