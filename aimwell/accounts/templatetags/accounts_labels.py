"""Roles as people read them: `obj.roles|role_labels` gives "AIMS manager, Internal auditor"."""

from __future__ import annotations

from typing import Any

from django import template

from aimwell.accounts.roles import Role

register = template.Library()


@register.filter
def role_labels(codes: Any) -> str:
    labels = {role.value: str(role.label) for role in Role}
    return ", ".join(labels.get(code, code) for code in codes or [])
