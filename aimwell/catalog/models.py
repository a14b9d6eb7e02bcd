"""Frameworks as data: requirement trees and crosswalks, addressed by stable URNs.

Built-in frameworks (organisation empty) are shared by every organisation; a framework or mapping
set an organisation imports is visible to that organisation only. Nodes are never deleted by a
reload: a node that leaves the file is marked retired, so links from risks, SoA entries or evidence
never dangle.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q


class CatalogQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any, organisation: Any | None = None) -> CatalogQuerySet:
        """Built-in rows plus those of the user's organisations (or of one of them)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        membership_model = apps.get_model("accounts", "Membership")
        org_ids = (
            membership_model.objects.active().filter(user_id=user.pk).values("organisation_id")
        )
        scope = Q(**{f"{self.model.ORG_PATH}__isnull": True})
        if organisation is not None:
            scope |= Q(**{self.model.ORG_PATH: organisation.pk}) & Q(
                **{f"{self.model.ORG_PATH}__in": org_ids}
            )
        else:
            scope |= Q(**{f"{self.model.ORG_PATH}__in": org_ids})
        return self.filter(scope)


class Framework(models.Model):
    ORG_PATH = "organisation"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    urn = models.CharField(max_length=80)
    key = models.CharField(max_length=50)
    version = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20)
    description = models.TextField(blank=True)
    source_title = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"], condition=Q(organisation__isnull=True), name="builtin_framework_urn"
            ),
            models.UniqueConstraint(fields=["organisation", "urn"], name="org_framework_urn"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None


class RequirementNode(models.Model):
    ORG_PATH = "framework__organisation"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    urn = models.CharField(max_length=150)
    ref_id = models.CharField(max_length=60)
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    guidance = models.TextField(blank=True)
    evidence = models.JSONField(default=list, blank=True)
    audit_questions = models.JSONField(default=list, blank=True)
    documented_information = models.BooleanField(default=False)
    tags = models.JSONField(default=list, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    # Document order across the whole framework and depth in the tree, for rendering without
    # recursive queries.
    position = models.PositiveIntegerField(default=0)
    depth = models.PositiveSmallIntegerField(default=0)
    is_retired = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref_id"], name="node_ref_per_framework")
        ]
        indexes = [models.Index(fields=["urn"]), models.Index(fields=["framework", "kind"])]

    def __str__(self) -> str:
        return f"{self.ref_id} {self.title}"

    @property
    def is_assessable(self) -> bool:
        return self.kind != "group"


class MappingSet(models.Model):
    ORG_PATH = "organisation"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    source_framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    target_framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    authority = models.CharField(max_length=20)
    source_title = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(organisation__isnull=True), name="builtin_mapping_key"
            ),
            models.UniqueConstraint(fields=["organisation", "key"], name="org_mapping_key"),
        ]

    def __str__(self) -> str:
        return self.name


class Mapping(models.Model):
    ORG_PATH = "mapping_set__organisation"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mapping_set = models.ForeignKey(MappingSet, on_delete=models.CASCADE, related_name="mappings")
    source = models.ForeignKey(RequirementNode, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(RequirementNode, on_delete=models.CASCADE, related_name="+")
    relationship = models.CharField(max_length=20)
    strength = models.CharField(max_length=10)
    rationale = models.TextField(blank=True)
    citation = models.CharField(max_length=500, blank=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mapping_set", "source", "target"], name="one_mapping_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source.urn} {self.relationship} {self.target.urn}"
