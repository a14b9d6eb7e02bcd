"""Forms of the integration pages; the services check the rest (URL targets, duplicates)."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.integrations.models import EventType, MlflowConnection, WebhookEndpoint
from aimwell.integrations.services import SUBSCRIBABLE

EVENT_CHOICES = [(k, label) for k, label in EventType.choices if k in SUBSCRIBABLE]


class EndpointForm(forms.Form):
    name = forms.CharField(max_length=120)
    url = forms.URLField(
        max_length=500,
        label="URL",
        assume_scheme="https",
        help_text="http or https; private and loopback addresses are refused.",
    )
    event_types = forms.MultipleChoiceField(
        choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, label="Events"
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    @staticmethod
    def initial_for(endpoint: WebhookEndpoint) -> dict[str, Any]:
        return {
            "name": endpoint.name,
            "url": endpoint.url,
            "event_types": endpoint.event_types,
            "is_active": endpoint.is_active,
        }


class ConnectionForm(forms.Form):
    tracking_url = forms.URLField(
        max_length=500, label="Tracking server URL", assume_scheme="https"
    )
    token = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.PasswordInput,
        help_text="A bearer token, stored sealed. Leave empty to keep the stored one.",
    )
    clear_token = forms.BooleanField(required=False, label="Remove the stored token")
    system_tag = forms.CharField(
        max_length=100,
        initial="aimwell.system",
        help_text="Tag on a registered model (or version) whose value is the AI system's name.",
    )
    deployed_alias = forms.CharField(
        max_length=100,
        initial="production",
        label="Alias of the version in use",
        help_text="Else the newest version in the Production stage, else the newest version.",
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Sync periodically")

    @staticmethod
    def initial_for(connection: MlflowConnection | None) -> dict[str, Any]:
        if connection is None:
            return {}
        return {
            "tracking_url": connection.tracking_url,
            "system_tag": connection.system_tag,
            "deployed_alias": connection.deployed_alias,
            "is_active": connection.is_active,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        token = "" if data["clear_token"] else (data["token"] or None)
        return {
            "tracking_url": data["tracking_url"],
            "token": token,
            "system_tag": data["system_tag"],
            "deployed_alias": data["deployed_alias"],
            "is_active": data["is_active"],
        }
