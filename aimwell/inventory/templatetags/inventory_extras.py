from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`mapping|get_item:key` for dict lookups with a variable key (answers by question id)."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def risk_class(code: str) -> str:
    """`system.risk_class|risk_class`: "High risk" for `high_risk`."""
    from aimwell.inventory.labels import risk_class_label

    return risk_class_label(code or "")


@register.filter
def act_refs(refs: Any) -> str:
    """`outcome.legal_basis|act_refs`: "Article 6(2), Annex III, point 4" for the rule ids; one id
    reads the same way."""
    from aimwell.inventory.labels import act_reference, act_references

    if isinstance(refs, str):
        return act_reference(refs)
    return act_references(list(refs or []))
