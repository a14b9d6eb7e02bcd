"""Base models every domain object builds on, and the tamper-evident audit trail."""

from __future__ import annotations

import uuid
from typing import Any

from django.apps import apps
from django.db import models

from aimwell.core import guests


class OrganisationScopedQuerySet(models.QuerySet[Any]):
    def __init__(self, model: Any = None, query: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(model, query, *args, **kwargs)
        if query is None and model is not None:
            # A fresh queryset (from a manager or a related manager, not a clone): the one place
            # a guest request is confined to its audit's AI systems (see `core.guests`).
            guests.confine(self)

    def visible_to(self, user: Any, organisation: Any | None = None) -> OrganisationScopedQuerySet:
        """Rows of the organisations where the user has an active membership.

        Passing `organisation` narrows to one of them (the organisation of the page or the token).
        Domain querysets refine this (for instance staff see only published documents).
        """
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        membership_model = apps.get_model("accounts", "Membership")
        org_ids = (
            membership_model.objects.active().filter(user_id=user.pk).values("organisation_id")
        )
        qs = self.filter(organisation_id__in=org_ids)
        if organisation is not None:
            qs = qs.filter(organisation_id=organisation.pk)
        return guests.narrow_for(qs, user, organisation)  # type: ignore[no-any-return]


class OrganisationScopedModel(models.Model):
    """UUID key, timestamps, and the organisation every domain object belongs to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One write to the AIMS: who, when, which object, which action, and the changed fields.

    Events of an organisation form a chain: `mac` is an HMAC over this event's content and the
    previous event's MAC, keyed with AIMWELL_AUDIT_KEY. Actor and object are stored as plain values,
    not foreign keys, so deleting a user or an object never rewrites history.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="audit_events"
    )
    seq = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField()
    actor_id = models.UUIDField(null=True, blank=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    # Canonical JSON text ({"field": [before, after]}), hashed as stored.
    changes = models.TextField(default="{}")
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="audit_seq_per_org")
        ]
        indexes = [
            models.Index(fields=["organisation", "object_type", "object_id"]),
            models.Index(fields=["organisation", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """The checkpoint of an organisation's chain, kept apart from the events.

    Deleting the newest events, or truncating the table, leaves the head pointing past the end of
    the chain; `checkpoint_mac` binds the head to the key so it cannot be moved back silently.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    seq = models.PositiveBigIntegerField(default=0)
    mac = models.CharField(max_length=64)
    checkpoint_mac = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"head of {self.organisation_id} at #{self.seq}"


class ReferenceCounter(models.Model):
    """The last number given to a kind of record in an organisation (R-…, NC-…, CR-…): the next
    reference is allocated by incrementing this row, which the database locks until the record is
    saved, so two people creating at once never get the same one, and nobody reads every existing
    reference to find the next."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=80)
    last = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="core_one_counter_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.organisation_id}: {self.last}"
