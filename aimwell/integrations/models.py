"""Outbound webhooks (endpoints, deliveries and each attempt) and the MLflow model registry
connection with what its last sync brought in. Secrets are kept sealed (see `sealing`)."""

from __future__ import annotations

from django.db import models

from aimwell.core.models import OrganisationScopedModel


class EventType(models.TextChoices):
    """What an endpoint can subscribe to (the `type` of each delivered event)."""

    ITEM_DUE = "item.due", "Due or overdue items (the daily reminders)"
    MONITOR_BREACH = "monitor.breach", "Monitor runs that breach a threshold"
    INCIDENT_OPENED = "incident.opened", "Incidents opened"
    INCIDENT_ART73 = "incident.art73", "EU AI Act Art. 73 reporting clocks of incidents"
    FINDING_RECORDED = "finding.recorded", "Audit findings recorded"
    APPROVAL = "approval.decided", "Approvals and acceptances"
    PING = "webhook.ping", "Test pings sent from the endpoint's page"


class WebhookEndpoint(OrganisationScopedModel):
    name = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    secret_sealed = models.TextField(help_text="The signing secret, sealed.")
    secret_hint = models.CharField(
        max_length=12, help_text="The first characters, to recognise it."
    )
    event_types = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    created_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="webhook_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    RETRYING = "retrying", "Failed, will retry"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Gave up"


class WebhookDelivery(OrganisationScopedModel):
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    body = models.TextField(help_text="The exact JSON sent (and signed).")
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="one_delivery_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint_id}"


class DeliveryAttempt(OrganisationScopedModel):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class MlflowConnection(OrganisationScopedModel):
    tracking_url = models.URLField(max_length=500)
    token_sealed = models.TextField(blank=True, help_text="A bearer token, sealed; else the env.")
    system_tag = models.CharField(max_length=100, default="aimwell.system")
    deployed_alias = models.CharField(max_length=100, default="production")
    is_active = models.BooleanField(default=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_sync_ok = models.BooleanField(null=True)
    last_sync_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_mlflow_connection_per_org")
        ]

    def __str__(self) -> str:
        return f"MLflow at {self.tracking_url}"


class RegistryVersion(OrganisationScopedModel):
    """One model version of the MLflow registry as the last sync saw it."""

    system_path = "system"  # what narrows a guest (core.guests)
    registered_name = models.CharField(max_length=200)
    version = models.CharField(max_length=50)
    model = models.ForeignKey(
        "inventory.AIModel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    system = models.ForeignKey(
        "inventory.AISystem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage = models.CharField(max_length=40, blank=True)
    aliases = models.JSONField(default=list)
    status = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    run_id = models.CharField(max_length=64, blank=True)
    metrics = models.JSONField(default=dict)
    tags = models.JSONField(default=dict)
    source_dataset = models.CharField(max_length=300, blank=True)
    is_deployed = models.BooleanField(default=False)
    registered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registered_name", "-registered_at", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "registered_name", "version"],
                name="registry_version_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registered_name} v{self.version}"
