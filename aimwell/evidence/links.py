"""Which objects evidence may link to. Apps register their linkable models here by a type label
(`inventory.aisystem`, `documents.document`, later risks, SoA entries and audits); a link is
accepted only for a registered type and an object of the same organisation."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from aimwell.core.errors import DomainError


@dataclass(frozen=True)
class LinkTarget:
    label: str  # "app_label.modelname"
    title: str  # what users read, e.g. "AI system"
    describe: Callable[[Any], str]
    url_name: str | None = None  # a route taking the object's id, for links on pages


_REGISTRY: dict[str, LinkTarget] = {}


class LinkError(DomainError):
    pass
    pass


def register(
    label: str, title: str, *, describe: Callable[[Any], str] = str, url_name: str | None = None
) -> None:
    """Make a model linkable from evidence (call from the app's `AppConfig.ready` or here)."""
    _REGISTRY[label.lower()] = LinkTarget(label.lower(), title, describe, url_name)


def registered() -> dict[str, LinkTarget]:
    _register_known()
    return {k: v for k, v in _REGISTRY.items() if _model(k) is not None}


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _register_known() -> None:
    """Models of apps that exist today; an app that is not built yet is skipped."""
    if "documents.document" not in _REGISTRY:
        register("documents.document", "Document", url_name="documents:detail")
    if "inventory.aisystem" not in _REGISTRY and _model("inventory.aisystem") is not None:
        register(
            "inventory.aisystem",
            "AI system",
            describe=lambda o: o.name,
            url_name="inventory:system",
        )


def resolve(label: str, target_id: Any, organisation: Any) -> tuple[LinkTarget, Any]:
    """The registered target type and the object, which must belong to the organisation."""
    targets = registered()
    target = targets.get((label or "").lower())
    if target is None:
        known = ", ".join(sorted(targets)) or "none"
        raise LinkError(f"Evidence cannot link to {label!r}; linkable types: {known}.")
    try:
        pk = uuid.UUID(str(target_id))
    except ValueError as exc:
        raise LinkError(f"{target_id!r} is not an id.") from exc
    model = _model(target.label)
    assert model is not None
    obj = model._default_manager.filter(pk=pk, organisation_id=organisation.pk).first()
    if obj is None:
        raise LinkError(f"No {target.title.lower()} with id {pk} in this organisation.")
    return target, obj


def link_candidates(label: str, query: str, organisation: Any, *, limit: int = 20) -> list[Any]:
    """(id, name) of up to `limit` records of a registered type in the organisation whose name
    holds every word of `query` (the "Link to" picker's answers)."""
    target = registered().get((label or "").lower())
    model = _model(target.label) if target else None
    if target is None or model is None or organisation is None:
        return []
    terms = [t.lower() for t in query.split()]
    found = []
    for obj in model._default_manager.filter(organisation_id=organisation.pk).iterator():
        name = str(target.describe(obj))
        if all(t in name.lower() for t in terms):
            found.append((str(obj.pk), name))
            if len(found) == limit:
                break
    return found


def title_of(label: str) -> str:
    target = registered().get(label)
    return target.title if target else label


def url_of(label: str, target_id: Any) -> str | None:
    """The page of a linked object, when its app has one."""
    from django.urls import NoReverseMatch, reverse

    target = registered().get(label)
    if target is None or target.url_name is None:
        return None
    try:
        return reverse(target.url_name, args=[target_id])
    except NoReverseMatch:
        return None
