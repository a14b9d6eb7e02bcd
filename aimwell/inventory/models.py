"""The AI inventory: systems, the models and datasets they use, suppliers, resources, and the
review flags raised when something a system depends on changes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel
from aimwell.inventory.choices import (
    Autonomy,
    DecisionImpact,
    DueDiligence,
    EUOperatorRole,
    LifecycleStage,
    ModelOrigin,
    OversightMode,
    ResourceKind,
)


class Supplier(OrganisationScopedModel):
    system_path = "systems"  # what narrows a guest (core.guests)
    name = models.CharField(max_length=200)
    provides = models.TextField(blank=True, help_text="What they supply: models, data, services.")
    contact = models.CharField(max_length=200, blank=True)
    due_diligence = models.CharField(
        max_length=20, choices=DueDiligence.choices, default=DueDiligence.NOT_STARTED
    )
    due_diligence_date = models.DateField(null=True, blank=True)
    responsibilities = models.TextField(
        blank=True, help_text="Responsibilities allocated between us and the supplier."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="supplier_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class AIModel(OrganisationScopedModel):
    system_path = "systems"  # what narrows a guest (core.guests)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50)
    model_type = models.CharField(max_length=100, blank=True, help_text="e.g. gradient boosting")
    origin = models.CharField(max_length=20, choices=ModelOrigin.choices)
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="models"
    )
    licence = models.CharField(max_length=100, blank=True)
    intended_use = models.TextField(blank=True)
    limitations = models.TextField(blank=True)
    is_general_purpose = models.BooleanField(default=False)
    training_compute_flops = models.FloatField(null=True, blank=True)
    retired_on = models.DateField(
        null=True, blank=True, help_text="When this version was withdrawn from use."
    )

    class Meta:
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="model_version_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def is_owned_by(self, user_id: Any) -> bool:
        """A contributor may maintain the models of the systems they own."""
        return self.systems.filter(owner_id=user_id).exists()


class Dataset(OrganisationScopedModel):
    system_path = "systems"  # what narrows a guest (core.guests)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=300, blank=True)
    acquisition = models.TextField(blank=True, help_text="How it was collected or bought.")
    provenance = models.TextField(blank=True)
    contains_personal_data = models.BooleanField(default=False)
    special_category_data = models.BooleanField(default=False)
    legal_basis = models.CharField(max_length=200, blank=True)
    quality_checks = models.TextField(blank=True)
    collection_period = models.CharField(
        max_length=200, blank=True, help_text="When the data was collected, e.g. 2019-2024."
    )
    labelling = models.TextField(blank=True, help_text="How labels were made and checked.")
    representativeness = models.TextField(
        blank=True, help_text="Whom the data represents, and known gaps or biases."
    )
    quality_reviewed_on = models.DateField(null=True, blank=True)
    retention = models.CharField(max_length=200, blank=True)
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="datasets"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="dataset_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name

    def is_owned_by(self, user_id: Any) -> bool:
        """A contributor may maintain the datasets of the systems they own."""
        return self.systems.filter(owner_id=user_id).exists()


class AISystem(OrganisationScopedModel):
    system_path = "pk"  # what narrows a guest (core.guests)
    name = models.CharField(max_length=200)
    purpose = models.TextField()
    intended_use = models.TextField(blank=True)
    foreseeable_misuse = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_ai_systems",
    )
    business_unit = models.CharField(max_length=120, blank=True)
    lifecycle_stage = models.CharField(
        max_length=20, choices=LifecycleStage.choices, default=LifecycleStage.IDEA
    )
    deployment_context = models.TextField(blank=True)
    geography = models.CharField(max_length=200, blank=True)
    users = models.TextField(blank=True, help_text="Who operates or uses the system.")
    affected_persons = models.TextField(blank=True)
    vulnerable_groups = models.TextField(
        blank=True, help_text="Children, people in financial difficulty, and so on."
    )
    autonomy = models.CharField(max_length=20, choices=Autonomy.choices, default=Autonomy.ASSISTIVE)
    oversight_mode = models.CharField(
        max_length=30, choices=OversightMode.choices, default=OversightMode.IN_THE_LOOP
    )
    decision_impact = models.CharField(
        max_length=20, choices=DecisionImpact.choices, default=DecisionImpact.LOW
    )
    eu_roles = models.JSONField(
        default=list,
        blank=True,
        help_text="The organisation's operator roles for this system under the EU AI Act "
        "(provider, deployer, ...): an organisation that builds and uses a system holds both.",
    )
    in_scope = models.BooleanField(default=True)
    scope_reason = models.CharField(max_length=500, blank=True)
    # The class of the current classification, kept here by the classification service so the
    # register filters and sorts on a column instead of a subquery per row.
    risk_class = models.CharField(max_length=30, blank=True, db_index=True)
    models_used = models.ManyToManyField(AIModel, blank=True, related_name="systems")
    datasets = models.ManyToManyField(Dataset, blank=True, related_name="systems")
    suppliers = models.ManyToManyField(Supplier, blank=True, related_name="systems")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="system_name_per_org")
        ]
        indexes = [
            models.Index(fields=["organisation", "lifecycle_stage"]),
            models.Index(fields=["organisation", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def is_owned_by(self, user_id: Any) -> bool:
        return self.owner_id is not None and self.owner_id == user_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.eu_roles = ordered_roles(self.eu_roles or [])
        super().save(*args, **kwargs)

    @property
    def eu_role(self) -> str:
        """The first of the system's EU AI Act roles in the Act's order (provider first), or ''.
        Setting it replaces the roles with that one role (or none)."""
        roles = ordered_roles(self.eu_roles or [])
        return roles[0] if roles else ""

    @eu_role.setter
    def eu_role(self, value: str) -> None:
        self.eu_roles = ordered_roles([value] if value else [])

    def get_eu_role_display(self) -> str:
        """Every role the organisation holds for the system, e.g. 'Provider and deployer'."""
        return roles_label(self.eu_roles or [])


def ordered_roles(roles: Iterable[str]) -> list[str]:
    """Roles deduplicated in the Act's order (blanks dropped); an unknown role is a ValueError
    naming it."""
    known = list(EUOperatorRole.values)
    given = [r for r in roles if r]
    unknown = [r for r in given if r not in known]
    if unknown:
        raise ValueError(f"Unknown EU AI Act role {unknown[0]!r}; choose from: {', '.join(known)}.")
    return [r for r in known if r in given]


def roles_label(roles: Iterable[str]) -> str:
    """'Provider', 'Provider and deployer', 'Provider, deployer and importer'."""
    labels = [str(EUOperatorRole(r).label) for r in ordered_roles(roles)]
    if not labels:
        return ""
    words = [labels[0], *(label.lower() for label in labels[1:])]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class Resource(OrganisationScopedModel):
    """A resource an AI system relies on (ISO/IEC 42001 A.4)."""

    system_path = "system"  # what narrows a guest (core.guests)
    system = models.ForeignKey(AISystem, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    provider = models.CharField(max_length=200, blank=True, help_text="Who provides it.")
    capacity = models.CharField(
        max_length=200, blank=True, help_text="How much: e.g. 4 GPUs, 2 FTE, 30 TB."
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    def is_owned_by(self, user_id: Any) -> bool:
        return self.system.is_owned_by(user_id)


class ReviewFlag(OrganisationScopedModel):
    """Something that depends on an AI system must be looked at again, and why.

    `subject` names what needs review (for instance `classification.classification` and its id);
    each feature (classification, risk and impact assessments, approvals) raises and resolves flags
    of its own kinds.
    """

    system_path = "system"  # what narrows a guest (core.guests)
    system = models.ForeignKey(AISystem, on_delete=models.CASCADE, related_name="review_flags")
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    subject_label = models.CharField(max_length=300)
    reason = models.CharField(max_length=500)
    raised_by_label = models.CharField(max_length=200)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.subject_label} needs review: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def is_owned_by(self, user_id: Any) -> bool:
        return self.system.is_owned_by(user_id)
