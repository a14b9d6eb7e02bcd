"""Statuses as people read them in a stored Statement of Applicability version."""

from __future__ import annotations

from django import template

from aimwell.controls.models import ImplementationStatus

register = template.Library()


@register.filter
def implementation_status(code: str) -> str:
    """`r.status|implementation_status`: "Not started" for `not_started`."""
    labels = dict(ImplementationStatus.choices)
    return str(labels.get(code, code))
