"""In-app notifications: reminders of what is due, and news of what concerns a member."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel, OrganisationScopedQuerySet


class NotificationQuerySet(OrganisationScopedQuerySet):
    def visible_to(self, user: Any, organisation: Any | None = None) -> NotificationQuerySet:
        """A member sees only their own notifications."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        qs = self.filter(user_id=user.pk)
        if organisation is not None:
            qs = qs.filter(organisation_id=organisation.pk)
        return qs


class Notification(OrganisationScopedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    due_date = models.DateField(null=True, blank=True)
    # Stable key so a rerun for the same day notifies nobody twice.
    key = models.CharField(max_length=200)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    objects = NotificationQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        db_table = "operations_notification"  # the table kept its name when the app was split
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="ops_notification_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.user_id == user_id)
