"""OSCAL profile, component-definition and system security plan (SSP) of an organisation's AIMS,
built from its Statement of Applicability, risk treatment and inventory.

- profile: the Annex A controls the SoA includes, those it excludes, and for every decided control
  an `alter` that adds the decision (applicability, status, justification) in our namespace.
- component-definition: one `software` component per AI system with the controls the treatment of
  its risks selected, and one `service` component per supplier with the supplier-relationship
  controls (A.10) the SoA applies to it.
- SSP: the AIMS as the system (scope, datasets as information types, people as users), its AI
  systems and suppliers as components, and one implemented requirement per applicable control
  with its status, owner and by-components (the AIMS itself, and each AI system whose risk
  treatment selected the control).

Pure functions from the organisation's data to a JSON-ready dict; `exports.py` serialises them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aimwell.catalog.formats.oscal import AIMWELL_NS
from aimwell.interchange.oscal_common import (
    IMPLEMENTATION_STATE,
    ISO_CATALOG_HREF,
    ROLE_IDS,
    People,
    catalog_resource,
    control_id,
    document_href,
    one_line,
    prop,
    resource,
    stable_uuid,
    text,
)

SUPPLIER_CONTROL_GROUP = "A.10"


def _soa(organisation: Any) -> list[Any]:
    from aimwell.controls import soa

    return soa.soa_rows(organisation)


def _row_id(row: Any) -> str:
    return control_id(row.ref) if row.node is not None else control_id(f"own-{row.ref}")


def _decision_props(row: Any) -> list[dict[str, str]]:
    props = [
        prop("control-ref", row.ref),
        prop(
            "applicability",
            "undecided"
            if row.applicable is None
            else "applicable"
            if row.applicable
            else "not-applicable",
        ),
        prop("implementation-status", row.status),
    ]
    if row.decided is None and row.applicable:
        props.append(prop("applicability-derived", "true"))
    props.extend(prop("selected-by-risk", s.reference) for s in row.selected_by)
    props.extend(prop("eu-ai-act-obligation", ref) for ref in row.eu_obligations)
    return props


def build_profile(organisation: Any, *, at: datetime | None = None) -> dict[str, Any]:
    rows = [r for r in _soa(organisation) if r.node is not None]
    included = [control_id(r.ref) for r in rows if r.applicable]
    excluded = [r for r in rows if r.applicable is False]
    undecided = [r.ref for r in rows if r.applicable is None]
    catalog = catalog_resource(organisation)
    imported: dict[str, Any] = {"href": f"#{catalog['uuid']}"}
    if included:
        imported["include-controls"] = [{"with-ids": included}]
        if excluded:
            imported["exclude-controls"] = [{"with-ids": [control_id(r.ref) for r in excluded]}]
    else:
        # An import must include something: all of the catalog minus every control, which is
        # what an SoA with no applicable control selects.
        imported["include-all"] = {}
        imported["exclude-controls"] = [{"with-ids": [control_id(r.ref) for r in rows]}]
    alters = []
    for row in rows:
        if row.applicable is None:
            continue
        parts = []
        if row.justification:
            parts.append(
                {
                    "id": f"{control_id(row.ref)}_soa",
                    "name": "soa-justification",
                    "ns": AIMWELL_NS,
                    "prose": row.justification,
                }
            )
        add: dict[str, Any] = {"position": "ending", "props": _decision_props(row)}
        if parts:
            add["parts"] = parts
        alters.append({"control-id": control_id(row.ref), "adds": [add]})
    remarks = [
        f"The Statement of Applicability of {organisation.name}: {len(included)} Annex A "
        f"control(s) included, {len(excluded)} excluded."
    ]
    remarks.extend(
        f"- {r.ref} {r.title}: excluded. {r.free_justification or 'No justification recorded.'}"
        for r in excluded
    )
    if undecided:
        remarks.append(f"Not decided yet: {', '.join(undecided)}.")
    profile: dict[str, Any] = {
        "uuid": stable_uuid("profile", organisation.pk),
        "metadata": People(organisation).metadata(
            f"{organisation.name}: ISO/IEC 42001 Annex A selection",
            at=at,
            remarks="\n\n".join(remarks),
        ),
        "imports": [imported],
        "merge": {"as-is": True},
        "back-matter": {"resources": [catalog]},
    }
    if alters:
        profile["modify"] = {"alters": alters}
    return {"profile": profile}


def _system_controls(organisation: Any) -> dict[Any, list[Any]]:
    """Annex A controls the treatment of each system's open risks selected, by system id."""
    from aimwell.risks.models import SelectedControl

    out: dict[Any, list[Any]] = {}
    for selection in (
        SelectedControl.objects.filter(organisation_id=organisation.pk, node__isnull=False)
        .exclude(risk__status="closed")
        .exclude(risk__system__isnull=True)
        .select_related("risk", "node")
        .order_by("risk__reference", "node__position")
    ):
        out.setdefault(selection.risk.system_id, []).append(selection)
    return out


def _systems(organisation: Any) -> list[Any]:
    from aimwell.inventory.models import AISystem

    return list(
        AISystem.objects.filter(organisation_id=organisation.pk)
        .select_related("owner")
        .prefetch_related("suppliers", "datasets", "models_used")
        .order_by("name")
    )


def _suppliers(organisation: Any) -> list[Any]:
    from aimwell.inventory.models import Supplier

    return list(
        Supplier.objects.filter(organisation_id=organisation.pk)
        .prefetch_related("systems")
        .order_by("name")
    )


def system_uuid(system: Any) -> str:
    return stable_uuid("component", system.pk)


def supplier_uuid(supplier: Any) -> str:
    return stable_uuid("component", supplier.pk)


def _system_component(
    system: Any, people: People, selections: list[Any], statuses: dict[str, str]
) -> dict[str, Any]:
    component: dict[str, Any] = {
        "uuid": system_uuid(system),
        "type": "software",
        "title": one_line(system.name),
        "description": text(system.purpose, "No purpose recorded."),
        "props": [
            prop("asset-type", "ai-system"),
            prop("lifecycle-stage", system.lifecycle_stage),
            prop("in-aims-scope", "yes" if system.in_scope else "no"),
        ],
    }
    if system.risk_class:
        component["props"].append(prop("eu-ai-act-class", system.risk_class))
    for role in system.eu_roles or []:  # one prop per role (provider and deployer, ...)
        component["props"].append(prop("eu-ai-act-role", role))
    if system.intended_use:
        component["purpose"] = one_line(system.intended_use)[:1000]
    owner = people.party(system.owner_id)
    if owner:
        component["responsible-roles"] = [{"role-id": "system-owner", "party-uuids": [owner]}]
    by_control: dict[str, list[Any]] = {}
    for selection in selections:
        by_control.setdefault(selection.node.ref_id, []).append(selection)
    if by_control:
        component["control-implementations"] = [
            {
                "uuid": stable_uuid("component-controls", system.pk),
                "source": ISO_CATALOG_HREF,
                "description": f"Annex A controls the treatment of {system.name}'s risks selected.",
                "implemented-requirements": [
                    {
                        "uuid": stable_uuid("component-requirement", system.pk, ref),
                        "control-id": control_id(ref),
                        "description": "; ".join(
                            one_line(
                                f"Selected by the treatment of {s.risk.reference} {s.risk.title}"
                                + (f": {s.rationale}" if s.rationale else "")
                            )
                            for s in items
                        ),
                        "props": [
                            prop("control-ref", ref),
                            prop("implementation-status", statuses.get(ref, "not_started")),
                        ],
                    }
                    for ref, items in by_control.items()
                ],
            }
        ]
    return component


def _supplier_component(
    supplier: Any, people: People, supplier_controls: list[Any]
) -> dict[str, Any]:
    party = people.external(f"supplier:{supplier.pk}", supplier.name)
    component: dict[str, Any] = {
        "uuid": supplier_uuid(supplier),
        "type": "service",
        "title": one_line(supplier.name),
        "description": text(supplier.provides, "Supplier of AI components."),
        "props": [
            prop("asset-type", "supplier"),
            prop("due-diligence", supplier.due_diligence or "none"),
        ],
        "responsible-roles": [{"role-id": "provider", "party-uuids": [party]}],
    }
    component["props"].extend(prop("supplies-system", s.name) for s in supplier.systems.all())
    if supplier.responsibilities:
        component["remarks"] = supplier.responsibilities
    if supplier_controls:
        component["control-implementations"] = [
            {
                "uuid": stable_uuid("component-controls", supplier.pk),
                "source": ISO_CATALOG_HREF,
                "description": "Supplier-relationship controls the SoA applies to this supplier.",
                "implemented-requirements": [
                    {
                        "uuid": stable_uuid("component-requirement", supplier.pk, row.ref),
                        "control-id": control_id(row.ref),
                        "description": text(
                            supplier.responsibilities,
                            f"{supplier.name} is managed under {row.ref} {row.title}.",
                        ),
                        "props": [
                            prop("control-ref", row.ref),
                            prop("implementation-status", row.status),
                        ],
                    }
                    for row in supplier_controls
                ],
            }
        ]
    return component


def _components(organisation: Any, people: People, rows: list[Any]) -> list[dict[str, Any]]:
    statuses = {r.ref: r.status for r in rows}
    selections = _system_controls(organisation)
    supplier_controls = [
        r
        for r in rows
        if r.node is not None and r.applicable and r.ref.startswith(f"{SUPPLIER_CONTROL_GROUP}.")
    ]
    components = [
        _system_component(s, people, selections.get(s.pk, []), statuses)
        for s in _systems(organisation)
    ]
    components.extend(
        _supplier_component(s, people, supplier_controls) for s in _suppliers(organisation)
    )
    return components


def build_component_definition(organisation: Any, *, at: datetime | None = None) -> dict[str, Any]:
    people = People(organisation)
    components = _components(organisation, people, _soa(organisation))
    document: dict[str, Any] = {
        "uuid": stable_uuid("component-definition", organisation.pk),
        "metadata": {},
        "back-matter": {"resources": [catalog_resource(organisation)]},
    }
    if components:
        document["components"] = components
    # Metadata last: components register the suppliers as parties.
    document["metadata"] = people.metadata(
        f"{organisation.name}: AI systems and supplier components", at=at
    )
    return {"component-definition": document}


def _scope_text(organisation: Any) -> tuple[str, str]:
    from aimwell.context.services.scope import latest_approved

    approved = latest_approved(organisation)
    if approved is None:
        return "", "under-development"
    return approved.text, "operational"


def _information_types(organisation: Any) -> list[dict[str, Any]]:
    from aimwell.inventory.models import Dataset

    types = [
        {
            "uuid": stable_uuid("information-type", d.pk),
            "title": one_line(d.name),
            "description": text(
                d.provenance or d.source or d.acquisition, "No provenance recorded."
            ),
            "props": [
                prop("personal-data", "yes" if d.contains_personal_data else "no"),
                prop("special-category-data", "yes" if d.special_category_data else "no"),
            ],
        }
        for d in Dataset.objects.filter(organisation_id=organisation.pk).order_by("name")
    ]
    return types or [
        {
            "uuid": stable_uuid("information-type", organisation.pk),
            "title": "AI system inputs and outputs",
            "description": "No datasets are recorded in the inventory yet.",
        }
    ]


def this_system_uuid(organisation: Any) -> str:
    return stable_uuid("this-system", organisation.pk)


def _implemented_requirement(
    organisation: Any, row: Any, people: People, system_ids: dict[str, str]
) -> dict[str, Any]:
    cid = _row_id(row)
    state = IMPLEMENTATION_STATE.get(row.status, "planned")
    by_components: list[dict[str, Any]] = [
        {
            "component-uuid": this_system_uuid(organisation),
            "uuid": stable_uuid("by-component", organisation.pk, cid),
            "description": text(row.justification, f"{row.ref} applies to the AIMS."),
            "implementation-status": {"state": state},
        }
    ]
    for selected in row.selected_by:
        system = system_ids.get(str(selected.risk_id))
        if system is None:
            continue
        by_components.append(
            {
                "component-uuid": system,
                "uuid": stable_uuid("by-component", selected.risk_id, cid),
                "description": one_line(
                    f"Selected by the treatment of {selected.reference} {selected.title}"
                    + (f": {selected.rationale}" if selected.rationale else "")
                ),
                "implementation-status": {"state": state},
            }
        )
    requirement: dict[str, Any] = {
        "uuid": stable_uuid("implemented-requirement", organisation.pk, cid),
        "control-id": cid,
        "props": _decision_props(row),
        "by-components": by_components,
    }
    if row.node is None:
        requirement["props"].append(prop("own-control", "true"))
        requirement["props"].append(prop("control-title", row.title))
    owner = people.party(getattr(row.owner, "pk", None))
    if owner:
        requirement["responsible-roles"] = [{"role-id": "control-owner", "party-uuids": [owner]}]
    if row.free_justification.strip():
        requirement["remarks"] = row.free_justification
    return requirement


def build_ssp(organisation: Any, *, at: datetime | None = None) -> dict[str, Any]:
    from aimwell.risks.models import Risk

    people = People(organisation)
    rows = _soa(organisation)
    components = _components(organisation, people, rows)
    scope, state = _scope_text(organisation)
    this_system = {
        "uuid": this_system_uuid(organisation),
        "type": "this-system",
        "title": f"{organisation.name} AI management system",
        "description": text(scope, "The AIMS scope is not approved yet."),
        "status": {"state": state},
    }
    for component in components:
        # The SSP says which component implements what through by-components instead.
        component.pop("control-implementations", None)
        component["status"] = {"state": "operational"}
    risk_systems = {
        str(pk): stable_uuid("component", system_id)
        for pk, system_id in Risk.objects.filter(
            organisation_id=organisation.pk, system__isnull=False
        ).values_list("pk", "system_id")
    }
    requirements = [
        _implemented_requirement(organisation, row, people, risk_systems)
        for row in rows
        if row.applicable
    ]
    in_scope = [c["title"] for c in components if c["props"][0]["value"] == "ai-system"]
    users = [
        {
            "uuid": stable_uuid("user", organisation.pk, role),
            "title": role.replace("_", " ").capitalize(),
            "role-ids": [ROLE_IDS[role]],
        }
        for role in sorted({m.role for m in people.members})
    ] or [{"uuid": stable_uuid("user", organisation.pk), "title": "No members"}]
    profile = resource(
        "profile",
        organisation,
        f"{organisation.name}: ISO/IEC 42001 Annex A selection",
        document_href("profile", organisation),
        "application/oscal.profile+json",
    )
    ssp: dict[str, Any] = {
        "uuid": stable_uuid("ssp", organisation.pk),
        "metadata": {},
        "import-profile": {"href": f"#{profile['uuid']}"},
        "system-characteristics": {
            "system-ids": [{"identifier-type": AIMWELL_NS, "id": organisation.slug}],
            "system-name": f"{organisation.name} AI management system",
            "description": text(scope, "The AIMS scope is not approved yet."),
            "system-information": {"information-types": _information_types(organisation)},
            "status": {"state": state},
            "authorization-boundary": {
                "description": "AI systems in the AIMS: "
                + (", ".join(in_scope) if in_scope else "none recorded")
                + "."
            },
        },
        "system-implementation": {
            "users": users,
            "components": [this_system, *components],
        },
        "control-implementation": {
            "description": (
                f"The Statement of Applicability of {organisation.name}: each applicable control "
                "with its status, owner, justification, and the AI systems whose risk treatment "
                "selected it."
            ),
            "implemented-requirements": requirements
            or [
                {
                    "uuid": stable_uuid("implemented-requirement", organisation.pk),
                    "control-id": control_id("A.2.2"),
                    "remarks": "No control is applicable in the SoA yet.",
                    "props": [prop("placeholder", "true")],
                }
            ],
        },
        "back-matter": {"resources": [profile, catalog_resource(organisation)]},
    }
    ssp["metadata"] = people.metadata(
        f"{organisation.name}: AI management system security plan", at=at
    )
    return {"system-security-plan": ssp}
