"""REST endpoints of the inventory: AI systems, models, datasets, suppliers, resources, review
flags, bulk import and export."""

import json
import uuid
from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from aimwell.accounts.access import get_for_user, request_organisation, require
from aimwell.accounts.lookups import member_user
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.core import table_import
from aimwell.inventory import querysets, services
from aimwell.inventory.models import AIModel, AISystem, Dataset, ReviewFlag, Supplier
from aimwell.inventory.schemas import (
    DatasetIn,
    DatasetOut,
    DatasetPatch,
    ImportOut,
    LinkIn,
    ModelIn,
    ModelOut,
    ModelPatch,
    NewVersionIn,
    ResolveIn,
    ResourceIn,
    ResourceOut,
    ReviewFlagOut,
    SupplierIn,
    SupplierOut,
    SupplierPatch,
    SystemDetailOut,
    SystemIn,
    SystemOut,
    SystemPatch,
)
from aimwell.inventory.services import bulk
from aimwell.inventory.services.review import resolve_review

router = Router(tags=["inventory"])


class SystemPage(Schema):
    count: int
    page: int
    pages: int
    items: list[SystemOut]


class SystemQuery(Schema):
    q: str | None = None
    stage: str | None = None
    in_scope: bool | None = None
    risk_class: str | None = None
    owner: str | None = None
    needs_review: bool | None = None
    sort: str = "name"
    page: int = 1
    page_size: int = 25


def _membership(request: AimwellRequest) -> Membership:
    return require(request.membership, Capability.READ_ALL)


def _supplier(organisation: Any, supplier_id: uuid.UUID | None) -> Supplier | None:
    if supplier_id is None:
        return None
    supplier = Supplier.objects.filter(organisation=organisation, pk=supplier_id).first()
    if supplier is None:
        raise HttpError(400, "No such supplier in this organisation.")
    return supplier


def _roles_in(roles: list[Any] | None, role: Any) -> list[str]:
    """The roles given as a list, or one role from an older client."""
    if roles is not None:
        return [str(getattr(r, "value", r)) for r in roles]
    return [str(getattr(role, "value", role))] if role else []


def _detail(system: AISystem) -> dict[str, Any]:
    data = querysets.system_detail(system)
    current = next((c for c in data["classifications"] if c.is_current), None)
    flagged = {f.subject_id for f in data["open_reviews"]}
    if current is not None:
        current.needs_review = str(current.pk) in flagged
    fresh = querysets.with_figures([system.pk])[0]
    return {
        **SystemOut.model_validate(fresh).model_dump(),
        **{
            f: getattr(system, f)
            for f in (
                "intended_use",
                "foreseeable_misuse",
                "deployment_context",
                "geography",
                "users",
                "affected_persons",
                "vulnerable_groups",
                "autonomy",
                "oversight_mode",
                "decision_impact",
                "scope_reason",
            )
        },
        "models": [{"id": m.pk, "name": str(m)} for m in data["models"]],
        "datasets": [{"id": d.pk, "name": d.name} for d in data["datasets"]],
        "suppliers": [{"id": s.pk, "name": s.name} for s in data["suppliers"]],
        "resources": data["resources"],
        "review_flags": data["open_reviews"],
        "classification": current,
    }


# AI systems ------------------------------------------------------------------------------------


@router.get("/ai-systems", response=SystemPage, summary="AI systems (filter, sort, paginate)")
def list_systems(request: AimwellRequest, query: Query[SystemQuery]) -> dict[str, Any]:
    membership = _membership(request)
    filters = querysets.SystemFilters(
        q=query.q,
        stage=query.stage,
        in_scope=query.in_scope,
        risk_class=query.risk_class,
        owner=query.owner,
        needs_review=query.needs_review,
        sort=query.sort,
    )
    page = querysets.systems_page(membership.organisation, filters, query.page, query.page_size)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": list(page.object_list),
    }


@router.post("/ai-systems", response={201: SystemDetailOut}, summary="Register an AI system")
def create_system(request: AimwellRequest, payload: SystemIn) -> Status[dict[str, Any]]:
    membership = require(request.membership, Capability.CONTRIBUTE)
    values = payload.model_dump()
    email = values.pop("owner_email")
    values["owner"] = member_user(membership.organisation, email) if email else request.user
    values["eu_roles"] = _roles_in(values.pop("eu_roles"), values.pop("eu_role"))
    system = services.create(AISystem, membership.organisation, actor=request.user, **values)
    return Status(201, _detail(system))


@router.get("/ai-systems/{system_id}", response=SystemDetailOut, summary="One AI system")
def get_system(request: AimwellRequest, system_id: uuid.UUID) -> dict[str, Any]:
    system, _ = get_for_user(
        request.user, AISystem.objects.all(), system_id, organisation=request_organisation(request)
    )
    return _detail(system)


@router.patch("/ai-systems/{system_id}", response=SystemDetailOut, summary="Change an AI system")
def update_system(
    request: AimwellRequest, system_id: uuid.UUID, payload: SystemPatch
) -> dict[str, Any]:
    system, membership = get_for_user(
        request.user,
        AISystem.objects.all(),
        system_id,
        organisation=request_organisation(request),
        write=True,
    )
    changes = payload.model_dump(exclude_unset=True)
    if "owner_email" in changes:
        changes["owner"] = member_user(membership.organisation, changes.pop("owner_email"))
    if "eu_roles" in changes or "eu_role" in changes:
        changes["eu_roles"] = _roles_in(changes.pop("eu_roles", None), changes.pop("eu_role", None))
    services.update(system, actor=request.user, **changes)
    return _detail(system)


@router.post(
    "/ai-systems/{system_id}/resources",
    response={201: ResourceOut},
    summary="Add a resource the system relies on (A.4)",
)
def add_resource(request: AimwellRequest, system_id: uuid.UUID, payload: ResourceIn) -> Status[Any]:
    from aimwell.inventory.models import Resource

    system, membership = get_for_user(
        request.user,
        AISystem.objects.all(),
        system_id,
        organisation=request_organisation(request),
        write=True,
    )
    resource = services.create(
        Resource, membership.organisation, actor=request.user, system=system, **payload.model_dump()
    )
    return Status(201, resource)


@router.post(
    "/ai-systems/{system_id}/links/{kind}",
    response=SystemDetailOut,
    summary="Link a model, dataset or supplier (kind: models, datasets, suppliers)",
)
def link_to_system(
    request: AimwellRequest, system_id: uuid.UUID, kind: str, payload: LinkIn
) -> dict[str, Any]:
    system, _ = get_for_user(
        request.user,
        AISystem.objects.all(),
        system_id,
        organisation=request_organisation(request),
        write=True,
    )
    if kind not in services.LINKS:
        raise HttpError(404, "Link models, datasets or suppliers.")
    model = services.LINKS[kind][1]
    target = model.objects.filter(organisation_id=system.organisation_id, pk=payload.id).first()
    if target is None:
        raise HttpError(400, f"No such {kind[:-1]} in this organisation.")
    services.link(system, kind, target, actor=request.user)
    return _detail(system)


@router.delete(
    "/ai-systems/{system_id}/links/{kind}/{target_id}",
    response=SystemDetailOut,
    summary="Unlink a model, dataset or supplier",
)
def unlink_from_system(
    request: AimwellRequest, system_id: uuid.UUID, kind: str, target_id: uuid.UUID
) -> dict[str, Any]:
    system, _ = get_for_user(
        request.user,
        AISystem.objects.all(),
        system_id,
        organisation=request_organisation(request),
        write=True,
    )
    if kind not in services.LINKS:
        raise HttpError(404, "Unlink models, datasets or suppliers.")
    target = (
        services.LINKS[kind][1]
        .objects.filter(organisation_id=system.organisation_id, pk=target_id)
        .first()
    )
    if target is None:
        raise HttpError(404, "Not linked.")
    services.unlink(system, kind, target, actor=request.user)
    return _detail(system)


@router.get("/review-flags", response=list[ReviewFlagOut], summary="Open review flags")
def list_review_flags(request: AimwellRequest) -> list[ReviewFlag]:
    return list(querysets.open_reviews(_membership(request).organisation))


@router.post(
    "/review-flags/{flag_id}/resolve",
    response=ReviewFlagOut,
    summary="Mark a review as done, with what was concluded",
)
def resolve_flag(request: AimwellRequest, flag_id: uuid.UUID, payload: ResolveIn) -> ReviewFlag:
    flag, _ = get_for_user(
        request.user,
        ReviewFlag.objects.select_related("system"),
        flag_id,
        organisation=request_organisation(request),
        write=True,
    )
    return resolve_review(flag, actor=request.user, note=payload.note)


# Models, datasets, suppliers -------------------------------------------------------------------


@router.get("/ai-models", response=list[ModelOut], summary="Models")
def list_models(request: AimwellRequest, q: str | None = None) -> Any:
    return querysets.models_list(_membership(request).organisation, q)


@router.post("/ai-models", response={201: ModelOut}, summary="Register a model")
def create_model(request: AimwellRequest, payload: ModelIn) -> Status[Any]:
    membership = require(request.membership, Capability.CONTRIBUTE)
    values = payload.model_dump()
    values["supplier"] = _supplier(membership.organisation, values.pop("supplier_id"))
    return Status(
        201,
        services.create(AIModel, membership.organisation, actor=request.user, **values),
    )


@router.get("/ai-models/{model_id}", response=ModelOut, summary="One model")
def get_model(request: AimwellRequest, model_id: uuid.UUID) -> AIModel:
    return get_for_user(
        request.user, AIModel.objects.all(), model_id, organisation=request_organisation(request)
    )[0]


@router.patch("/ai-models/{model_id}", response=ModelOut, summary="Change a model")
def update_model(request: AimwellRequest, model_id: uuid.UUID, payload: ModelPatch) -> AIModel:
    model, membership = get_for_user(
        request.user,
        AIModel.objects.all(),
        model_id,
        organisation=request_organisation(request),
        write=True,
    )
    changes = payload.model_dump(exclude_unset=True)
    if "supplier_id" in changes:
        changes["supplier"] = _supplier(membership.organisation, changes.pop("supplier_id"))
    return services.update(model, actor=request.user, **changes)


@router.post(
    "/ai-models/{model_id}/versions",
    response={201: ModelOut},
    summary="Register a new version; systems using the old one move and need review",
)
def new_model_version(
    request: AimwellRequest, model_id: uuid.UUID, payload: NewVersionIn
) -> Status[Any]:
    model, _ = get_for_user(
        request.user,
        AIModel.objects.all(),
        model_id,
        organisation=request_organisation(request),
        write=True,
    )
    return Status(
        201,
        services.new_model_version(
            model,
            version=payload.version,
            replace_in_systems=payload.replace_in_systems,
            actor=request.user,
        ),
    )


@router.get("/datasets", response=list[DatasetOut], summary="Datasets")
def list_datasets(request: AimwellRequest, q: str | None = None) -> Any:
    return querysets.datasets_list(_membership(request).organisation, q)


@router.post("/datasets", response={201: DatasetOut}, summary="Register a dataset")
def create_dataset(request: AimwellRequest, payload: DatasetIn) -> Status[Any]:
    membership = require(request.membership, Capability.CONTRIBUTE)
    values = payload.model_dump()
    values["supplier"] = _supplier(membership.organisation, values.pop("supplier_id"))
    if values["special_category_data"] and not values["contains_personal_data"]:
        raise HttpError(400, "Special-category data is personal data: set contains_personal_data.")
    return Status(
        201,
        services.create(Dataset, membership.organisation, actor=request.user, **values),
    )


@router.get("/datasets/{dataset_id}", response=DatasetOut, summary="One dataset")
def get_dataset(request: AimwellRequest, dataset_id: uuid.UUID) -> Dataset:
    return get_for_user(
        request.user, Dataset.objects.all(), dataset_id, organisation=request_organisation(request)
    )[0]


@router.patch("/datasets/{dataset_id}", response=DatasetOut, summary="Change a dataset")
def update_dataset(
    request: AimwellRequest, dataset_id: uuid.UUID, payload: DatasetPatch
) -> Dataset:
    dataset, membership = get_for_user(
        request.user,
        Dataset.objects.all(),
        dataset_id,
        organisation=request_organisation(request),
        write=True,
    )
    changes = payload.model_dump(exclude_unset=True)
    if "supplier_id" in changes:
        changes["supplier"] = _supplier(membership.organisation, changes.pop("supplier_id"))
    return services.update(dataset, actor=request.user, **changes)


@router.get("/suppliers", response=list[SupplierOut], summary="Suppliers")
def list_suppliers(request: AimwellRequest, q: str | None = None) -> Any:
    return querysets.suppliers_list(_membership(request).organisation, q)


@router.post("/suppliers", response={201: SupplierOut}, summary="Register a supplier")
def create_supplier(request: AimwellRequest, payload: SupplierIn) -> Status[Any]:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    return Status(
        201,
        services.create(
            Supplier, membership.organisation, actor=request.user, **payload.model_dump()
        ),
    )


@router.get("/suppliers/{supplier_id}", response=SupplierOut, summary="One supplier")
def get_supplier(request: AimwellRequest, supplier_id: uuid.UUID) -> Supplier:
    return get_for_user(
        request.user,
        Supplier.objects.all(),
        supplier_id,
        organisation=request_organisation(request),
    )[0]


@router.patch("/suppliers/{supplier_id}", response=SupplierOut, summary="Change a supplier")
def update_supplier(
    request: AimwellRequest, supplier_id: uuid.UUID, payload: SupplierPatch
) -> Supplier:
    supplier, _ = get_for_user(
        request.user,
        Supplier.objects.all(),
        supplier_id,
        organisation=request_organisation(request),
        write=True,
    )
    return services.update(supplier, actor=request.user, **payload.model_dump(exclude_unset=True))


# Bulk ------------------------------------------------------------------------------------------


@router.post(
    "/inventory/import",
    response={200: ImportOut},
    summary="Import systems, models, datasets or suppliers from CSV or xlsx",
)
def import_inventory(request: AimwellRequest, kind: Form[str], file: File[UploadedFile]) -> Any:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    if file.size and file.size > table_import.MAX_BYTES:
        raise HttpError(413, "The file is over 10 MB.")
    try:
        result = bulk.import_rows(
            kind,
            membership.organisation,
            file.read(),
            file.name or "upload.csv",
            actor=request.user,
        )
    except table_import.ImportFailed as exc:
        return HttpResponse(
            content=json.dumps({"message": f"Nothing was imported: {exc}", "errors": exc.errors}),
            status=400,
            content_type="application/json",
        )
    return result


@router.get(
    "/inventory/export",
    summary="Export systems, models, datasets or suppliers",
    response={200: None},
)
def export_inventory(
    request: AimwellRequest, kind: str = "systems", format: str = "csv"
) -> HttpResponse:
    membership = _membership(request)
    if kind not in bulk.KINDS or format not in ("csv", "xlsx"):
        raise HttpError(400, "Use kind systems|models|datasets|suppliers and format csv|xlsx.")
    return bulk.export_response(kind, membership.organisation, format)
